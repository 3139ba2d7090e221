"""Daily aggregates the reports read instead of scanning every application."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyStat(models.Model):
    """Applications submitted on one day (the office's local date) through one channel, for one service and village.

    A row is never edited in place: the whole (office, day) bucket is recomputed from the applications submitted that
    day (pencet.reports.services.daily_stats_rebuild), so a late transition (a document signed a week later, a return
    answered) lands in the day the application was received, and counting twice is impossible.
    """

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField(_("tanggal"))
    channel = models.CharField(_("kanal"), max_length=15)
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="daily_stats")
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="daily_stats"
    )
    received = models.PositiveIntegerField(_("diterima"), default=0)
    # Documents those applications ask for: a bundle counts each of its documents, a single service one. Reports
    # show services ("layanan": `received`) and documents ("dokumen") separately.
    documents = models.PositiveIntegerField(_("dokumen"), default=0)
    # Ready (signed) on the day it was submitted: the "sehari jadi" promise kept.
    same_day = models.PositiveIntegerField(_("sehari jadi"), default=0)
    ready = models.PositiveIntegerField(_("dokumen siap"), default=0)
    completed = models.PositiveIntegerField(_("selesai (dikirim/diambil)"), default=0)
    returned = models.PositiveIntegerField(_("pernah dikembalikan"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    priority = models.PositiveIntegerField(_("prioritas (lansia/disabilitas)"), default=0)
    # Durations of the bucket's applications as {minutes rounded to 0.1: how many}, so medians and p90s over any
    # period are read from the aggregates too: completeness reviews (submission or resubmission → decision),
    # SIAK input → signed, submission → signed. Wall-clock minutes.
    review_minutes = models.JSONField(default=dict, blank=True)
    siak_to_signed_minutes = models.JSONField(default=dict, blank=True)
    submission_to_ready_minutes = models.JSONField(default=dict, blank=True)
    rebuilt_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "day"]
        indexes = [models.Index(fields=["office", "day"], name="reports_dailystat_office_day")]
        verbose_name = _("statistik harian")
        verbose_name_plural = _("statistik harian")

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} {self.channel} {self.service_id}"


from .models_sections import (  # noqa: E402, F401
    ClosureStat,
    MonthlyReport,
    PopulationImport,
    StageStat,
    TravelCost,
    VillagePopulation,
)
