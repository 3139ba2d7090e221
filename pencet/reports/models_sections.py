"""What the reports need beyond the daily aggregates: the semester's population figures per village (coverage),
the transport cost a trip to the office costs per district (impact) and the monthly reports already sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationImport(models.Model):
    """One semester's population aggregates of one office (DKB, "data konsolidasi bersih"), as its admin imported
    them. Importing the same semester again replaces it; the coverage table reads the latest semester."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="population_imports")
    # "2026-1" (January–June) or "2026-2" (July–December).
    semester = models.CharField(_("semester"), max_length=6)
    imported_at = models.DateTimeField(_("diimpor"))
    imported_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_name = models.CharField(_("nama berkas"), max_length=255, blank=True)

    class Meta:
        ordering = ["office", "-semester"]
        constraints = [models.UniqueConstraint(fields=["office", "semester"], name="population_import_per_semester")]
        verbose_name = _("impor data penduduk")
        verbose_name_plural = _("impor data penduduk")

    def __str__(self) -> str:
        return f"{self.office_id} {self.semester}"


class VillagePopulation(models.Model):
    """One village's row of an import: the population and how many of them own each document."""

    population_import = models.ForeignKey(PopulationImport, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    population = models.PositiveIntegerField(_("penduduk"))
    ktp_required = models.PositiveIntegerField(_("wajib KTP-el"))
    children = models.PositiveIntegerField(_("anak 0–17 tahun"))
    families = models.PositiveIntegerField(_("keluarga"))
    ktp_owners = models.PositiveIntegerField(_("pemilik KTP-el"))
    kia_owners = models.PositiveIntegerField(_("pemilik KIA"))
    kk_owners = models.PositiveIntegerField(_("pemilik KK"))
    akta_owners = models.PositiveIntegerField(_("pemilik akta kelahiran"))

    class Meta:
        ordering = ["village"]
        constraints = [models.UniqueConstraint(fields=["population_import", "village"], name="village_once_per_import")]


class TravelCost(models.Model):
    """What one trip to the office costs a citizen of a district (transport), as the office admin estimates it;
    a single value has min = max."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="travel_costs")
    district = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    cost_min = models.PositiveIntegerField(_("biaya terendah (Rp)"))
    cost_max = models.PositiveIntegerField(_("biaya tertinggi (Rp)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "district"]
        constraints = [models.UniqueConstraint(fields=["office", "district"], name="travel_cost_per_district")]
        verbose_name = _("biaya perjalanan per kecamatan")
        verbose_name_plural = _("biaya perjalanan per kecamatan")

    def __str__(self) -> str:
        return f"{self.district_id}: {self.cost_min}–{self.cost_max}"


class MonthlyReport(models.Model):
    """The monthly PDF sent to the heads of office: one row per office and month, so it goes out once."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField()  # the first day of the month reported on
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="monthly_report_once")]


class ClosureStat(models.Model):
    """Applications closed with the document in the citizen's hands on one day (the office's local date of the
    delivery or pickup), per channel, service, village and how: what impact, coverage and the IKM population read
    instead of scanning the applications. Rebuilt per (office, day) from that day's events, then the month's row per
    group re-summed from its days (pencet.reports.section_stats), as DailyStat's are: a year reads twelve months."""

    class How(models.TextChoices):
        DELIVERED = "delivered", _("dikirim")
        PICKED_UP = "picked_up", _("diambil")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    # pencet.reports.models.Grain ("day" or "month", whose `day` is the 1st); not imported: that module imports this.
    grain = models.CharField(max_length=5, default="day")
    day = models.DateField()
    channel = models.CharField(max_length=15)
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=10, choices=How.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["office", "grain", "day"], name="reports_closurestat_read")]


class StageStat(models.Model):
    """Stages with a target that ended on one day (the office's local date), per stage: how many, how many within
    their target. Rebuilt per (office, day) from the stage timers (pencet.reports.section_stats)."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    stage = models.CharField(max_length=20)
    total = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["office", "day"], name="reports_stagestat_office_day")]


class ImpactStat(models.Model):
    """What impact reads: the trips saved on one day (or month, whose `day` is the 1st) per village, i.e. the
    documents of online applications (WhatsApp, village staff) sent to the citizen, with the village's district so
    the read groups by district in the database. Written from the day's ClosureStat rows in the same transaction
    (pencet.reports.section_stats), so a year of a province reads a few thousand rows, not every closure group."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=5, default="day")
    day = models.DateField()
    village = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The village's district (kecamatan) code, "" without a village.
    district = models.CharField(max_length=13, blank=True)
    trips = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["office", "grain", "day"], name="reports_impactstat_read")]


class CoverageStat(models.Model):
    """What coverage reads: documents handed over on one day (or month) that gave someone a document they did not
    own, per village and kind (ktp, kia, kk, akta: pencet.reports.section_stats.OWNER_KIND_SERVICES; a One Three
    counts for its akta and its KIA). Written from the day's ClosureStat rows with the catalogue of that moment."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=5, default="day")
    day = models.DateField()
    village = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["office", "grain", "day"], name="reports_coveragestat_read")]
