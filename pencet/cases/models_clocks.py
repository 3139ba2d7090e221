"""Service clocks: one timer per stage an application passes through, service interruptions, alerts, digests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pencet.catalog.models import Stage


class StageTimer(models.Model):
    """When one stage of one application started and ended, in wall time and in the office's working time."""

    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="stage_timers")
    # The application's office, kept here so that an office's running clocks are read from their own index (the
    # dashboard's and the overdue queue's counts), not found by joining every application of the office.
    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="stage_timers")
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The target in force when the stage started; null for a stage without one (waiting for the citizen).
    target_minutes = models.PositiveIntegerField(_("target (menit kerja)"), null=True, blank=True)
    due_at = models.DateTimeField(_("batas waktu tahap"), null=True, blank=True)
    working_seconds = models.PositiveIntegerField(_("durasi kerja (detik)"), null=True, blank=True)
    wall_seconds = models.PositiveIntegerField(_("durasi (detik)"), null=True, blank=True)
    target_met = models.BooleanField(_("target tercapai"), null=True, blank=True)
    started_event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="started_timers"
    )
    ended_event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="ended_timers"
    )
    # Set once each, so an alert is raised once however often the check runs.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["application", "ended_at"]),
            models.Index(fields=["ended_at", "due_at"]),
            models.Index(
                fields=["office", "due_at"], condition=models.Q(ended_at__isnull=True), name="cases_timer_running"
            ),
        ]
        verbose_name = _("waktu tahap")
        verbose_name_plural = _("waktu tahap")

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage}"


class ServiceInterruption(models.Model):
    """A stretch when SIAK cannot be worked (SIAK down, network cut, power out): SIAK stages' clocks stop."""

    class Kind(models.TextChoices):
        SIAK = "siak", _("SIAK tidak dapat diakses")
        NETWORK = "network", _("Jaringan terputus")
        POWER = "power", _("Listrik padam")
        OTHER = "other", _("Gangguan lain")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="interruptions")
    kind = models.CharField(_("jenis gangguan"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    opened_at = models.DateTimeField(_("mulai"))
    opened_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="interruptions_opened"
    )
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="interruptions_closed"
    )
    close_note = models.CharField(_("catatan pemulihan"), max_length=255, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("gangguan layanan")
        verbose_name_plural = _("gangguan layanan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.opened_at:%Y-%m-%d %H:%M}"


class InterruptionNotice(models.Model):
    """One polite message per contact per interruption: the unique row is what makes it once."""

    interruption = models.ForeignKey(ServiceInterruption, on_delete=models.CASCADE, related_name="notices")
    contact = models.ForeignKey("whatsapp.Contact", on_delete=models.CASCADE, related_name="interruption_notices")
    application = models.ForeignKey("cases.Application", null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interruption", "contact"], name="interruption_notice_once"),
        ]


class ClockAlert(models.Model):
    """A stage past its target (for the role's on-duty staff) or far past it (for the head of office)."""

    class Level(models.TextChoices):
        OVERDUE = "overdue", _("Lewat target")
        ESCALATED = "escalated", _("Jauh lewat target")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="clock_alerts")
    timer = models.ForeignKey(StageTimer, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=10, choices=Level.choices)
    role = models.CharField(max_length=20)
    emailed_to = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["timer", "level"], name="clock_alert_once")]
        verbose_name = _("peringatan keterlambatan")
        verbose_name_plural = _("peringatan keterlambatan")


class DailyDigest(models.Model):
    """The head of office's morning e-mail; one per office and working day."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="daily_digests")
    day = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "day"], name="daily_digest_once")]
