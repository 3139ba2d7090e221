from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeRetention(models.Model):
    """How long an office keeps citizens' document photos after an application is closed (UU PDP).

    Kept here rather than on accounts.Office so the operations layer owns it; an office without a row uses
    settings.PENCET_PHOTO_RETENTION_DAYS.
    """

    office = models.OneToOneField("accounts.Office", on_delete=models.CASCADE, related_name="retention")
    photo_retention_days = models.PositiveIntegerField(
        _("simpan foto dokumen (hari setelah selesai)"),
        help_text=_("Foto berkas warga dihapus sekian hari setelah permohonan ditutup; hasil dan riwayat tetap."),
    )

    class Meta:
        verbose_name = _("masa simpan foto")
        verbose_name_plural = _("masa simpan foto")

    def __str__(self) -> str:
        return f"{self.office}: {self.photo_retention_days}"


class WorkerHeartbeat(models.Model):
    """The last time a Huey consumer ran the heartbeat task; doctor and /metrics read it."""

    worker = models.CharField(max_length=120, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("denyut pekerja antrean")
        verbose_name_plural = _("denyut pekerja antrean")

    def __str__(self) -> str:
        return self.worker


class ViewLatency(models.Model):
    """Request latency per view as a cumulative histogram, summed over every web process (flushed by the
    middleware), so a scrape through any process behind the load balancer sees the whole picture."""

    view = models.CharField(max_length=150)
    # Upper bound of the bucket as Prometheus writes it ("0.05", "+Inf"); only the +Inf row carries the sum.
    le = models.CharField(max_length=10)
    count = models.BigIntegerField(default=0)
    sum_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["view", "le"], name="view_latency_unique")]
