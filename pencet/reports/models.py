"""Aggregates the reports read instead of scanning the applications, events and review items.

Every table has two grains: a row per office and day (the office's local date), and the same row per office and
month, the sum of that month's day rows, so a year is read from twelve rows per group. Rows are never edited in
place: a day is recomputed from source (pencet.reports.services) and its month re-summed in the same transaction, so
a late transition (a document signed a week later, a return answered) lands where it belongs and nothing is counted
twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .histograms import DURATIONS, histogram_columns


class Grain(models.TextChoices):
    DAY = "day", _("Hari")
    MONTH = "month", _("Bulan")


class Dimension(models.TextChoices):
    CHANNEL = "channel", _("Kanal")
    SERVICE = "service", _("Layanan")
    VILLAGE = "village", _("Desa/Kelurahan")


class DailyStat(models.Model):
    """Applications submitted on one day (or month) through one channel, or for one service, or from one village.

    Each application is counted once in each dimension: the channel rows answer group_by channel, day, month and
    office; the service rows answer service (and the legal-deadline timeliness); the village rows village and district.
    Durations sit in fixed bins (pencet.reports.histograms), a count and a sum of seconds per bin.
    """

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="daily_stats")
    grain = models.CharField(_("rentang"), max_length=5, choices=Grain.choices, default=Grain.DAY)
    # The day, or the first day of the month for the month grain.
    day = models.DateField(_("tanggal"))
    dimension = models.CharField(_("dimensi"), max_length=10, choices=Dimension.choices)
    # The channel value, the service's primary key, or the village code ("" when the application has none).
    key = models.CharField(_("kunci"), max_length=20, blank=True)
    # Village rows: the district (kecamatan) code the village belongs to.
    district = models.CharField(_("kecamatan"), max_length=13, blank=True)
    received = models.PositiveIntegerField(_("diterima"), default=0)
    # Documents those applications ask for: a bundle counts each of its documents, a single service one. Reports
    # show services ("layanan": `received`) and documents ("dokumen") separately.
    documents = models.PositiveIntegerField(_("dokumen"), default=0)
    # Through WhatsApp or village staff: the citizen did not have to come.
    online = models.PositiveIntegerField(_("daring"), default=0)
    # Ready (signed) on the day it was submitted: the "sehari jadi" promise kept.
    same_day = models.PositiveIntegerField(_("sehari jadi"), default=0)
    ready = models.PositiveIntegerField(_("dokumen siap"), default=0)
    completed = models.PositiveIntegerField(_("selesai (dikirim/diambil)"), default=0)
    returned = models.PositiveIntegerField(_("pernah dikembalikan"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    priority = models.PositiveIntegerField(_("prioritas (lansia/disabilitas)"), default=0)
    # Services with a legal deadline (births 60 days, deaths 30…): applications carrying the event's date, and those
    # submitted within the deadline.
    deadline_total = models.PositiveIntegerField(_("dengan tanggal peristiwa"), default=0)
    deadline_in_time = models.PositiveIntegerField(_("tepat waktu"), default=0)
    rebuilt_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "day"]
        indexes = [models.Index(fields=["dimension", "grain", "office", "day"], name="reports_dailystat_read")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "grain", "day", "dimension", "key"], name="reports_dailystat_one_per_group"
            )
        ]
        verbose_name = _("statistik harian")
        verbose_name_plural = _("statistik harian")

    def __str__(self) -> str:
        return f"{self.office_id} {self.grain} {self.day} {self.dimension}={self.key}"


class OfficerStat(models.Model):
    """One officer's transitions on one day (or month) the work was done, and their completeness reviews' durations."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="officer_stats")
    grain = models.CharField(_("rentang"), max_length=5, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(_("tanggal"))
    actor = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="officer_stats")
    reviewed = models.PositiveIntegerField(_("diperiksa"), default=0)
    siak = models.PositiveIntegerField(_("input SIAK"), default=0)
    verified = models.PositiveIntegerField(_("diverifikasi"), default=0)
    signed = models.PositiveIntegerField(_("ditandatangani"), default=0)
    handed_over = models.PositiveIntegerField(_("diserahkan"), default=0)
    rebuilt_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "day"]
        indexes = [models.Index(fields=["grain", "office", "day"], name="reports_officerstat_read")]
        constraints = [
            models.UniqueConstraint(fields=["office", "grain", "day", "actor"], name="reports_officerstat_one")
        ]
        verbose_name = _("statistik petugas")
        verbose_name_plural = _("statistik petugas")


class ReturnReasonStat(models.Model):
    """Requirements found lacking on one day (or month) of the review: where citizens go wrong."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="return_reason_stats")
    grain = models.CharField(_("rentang"), max_length=5, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(_("tanggal"))
    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.CASCADE, related_name="return_stats")
    verdict = models.CharField(_("temuan"), max_length=15)
    count = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        ordering = ["office", "day"]
        indexes = [models.Index(fields=["grain", "office", "day"], name="reports_returnstat_read")]
        verbose_name = _("statistik pengembalian")
        verbose_name_plural = _("statistik pengembalian")


def _add_histogram_columns(model: type[models.Model], measures: tuple[str, ...]) -> None:
    for name in histogram_columns(measures):
        is_count = name.rsplit("_", 1)[1].startswith("n")
        field = models.PositiveIntegerField(default=0) if is_count else models.BigIntegerField(default=0)
        model.add_to_class(name, field)


_add_histogram_columns(DailyStat, DURATIONS)
_add_histogram_columns(OfficerStat, ("review",))


from .models_sections import (  # noqa: E402, F401
    ClosureStat,
    CoverageStat,
    ImpactStat,
    MonthlyReport,
    PopulationImport,
    StageStat,
    TravelCost,
    VillagePopulation,
)
