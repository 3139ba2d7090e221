"""The access log: one row per read of personal data (UU PDP: who saw my data, breach notices within 3×24 h).

Rows are written by `pencet.cases.access` and never changed: `save()` refuses an update, the queryset refuses
`update()` and `delete()`, and the admin is read-only. Deleting a user or an application keeps the row (the
username and tracking code are copied at write time).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecordImmutable(Exception):
    """An access record was about to be changed or removed."""


class AccessKind(models.TextChoices):
    APPLICATION = "application", _("membuka permohonan")
    ATTACHMENT = "attachment", _("membuka berkas pemohon")
    OUTPUT = "output", _("membuka dokumen hasil")
    RECEIPT = "receipt", _("membuka tanda terima")
    SEARCH = "search", _("pencarian")
    LIST = "list", _("daftar permohonan (API)")
    CONTACT = "contact", _("membuka percakapan WhatsApp")
    COMPLAINT = "complaint", _("membuka pengaduan")
    EXPORT = "export", _("ekspor")
    ACCESS_LOG = "access_log", _("membuka log akses")


class AccessChannel(models.TextChoices):
    CONSOLE = "console", _("konsol")
    API = "api", _("API")


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AccessRecordImmutable("access records are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AccessRecordImmutable("access records are never deleted through the app")


class AccessRecord(models.Model):
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    office = models.ForeignKey(
        "accounts.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("kantor")
    )
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("pegawai")
    )
    username = models.CharField(_("nama pengguna"), max_length=150, db_index=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=AccessChannel.choices)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=15, choices=AccessKind.choices)
    application = models.ForeignKey(
        "cases.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_records",
        verbose_name=_("permohonan"),
    )
    tracking_code = models.CharField(_("kode lacak"), max_length=20, blank=True, db_index=True)
    # The file or record read within it ("attachment", 12), or what was exported ("complaints", "survey_period").
    object_type = models.CharField(_("objek"), max_length=30, blank=True)
    object_id = models.CharField(_("id objek"), max_length=40, blank=True)
    # What was searched for or the export's filters, as typed.
    query = models.CharField(_("pencarian/filter"), max_length=300, blank=True)
    # Tracking codes a list or search showed, space-separated with a space at both ends (so " CODE " matches).
    shown = models.TextField(_("permohonan yang tampil"), blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["office", "at"])]
        verbose_name = _("catatan akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.tracking_code}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AccessRecordImmutable("access records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AccessRecordImmutable("access records are never deleted through the app")
