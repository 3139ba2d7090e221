"""The documents of a bundle application: one component per document, each with its own way to the citizen.

A One Three application (akta kelahiran + KK + KIA) or the death bundle produces several documents. Each has its own
SIAK reference, verification, signature and output PDF (delivery.OutputDocument.component); the application keeps
one status, and moves past a stage only once every component has (pencet.cases.components).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComponentState(models.TextChoices):
    SIAK = "siak", _("Menunggu input SIAK")
    VERIFICATION = "verification", _("Menunggu verifikasi")
    SIGNATURE = "signature", _("Menunggu tanda tangan")
    READY = "ready", _("Sudah ditandatangani")
    DONE = "done", _("Sudah diserahkan")


class Component(models.Model):
    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="components")
    # The component's own service (akta kelahiran, KK perubahan, KIA): its name is the document's name.
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(_("tahap"), max_length=15, choices=ComponentState.choices, default=ComponentState.SIAK)
    siak_reference = models.CharField(_("nomor registrasi/dokumen SIAK"), max_length=200, blank=True)
    siak_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    siak_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "service"], name="cases_component_once_per_service")
        ]
        verbose_name = _("dokumen paket")
        verbose_name_plural = _("dokumen paket")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.service_id}"
