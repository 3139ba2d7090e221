from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureStatus(models.TextChoices):
    VALID = "valid", _("Tanda tangan sah")
    INVALID = "invalid", _("Tanda tangan tidak sah")
    UNSIGNED = "unsigned", _("Tidak ditandatangani")


class OutputDocument(models.Model):
    """A signed output PDF (printed from SIAK, or the demo office's specimen) for one application."""

    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="outputs")
    # The bundle's document this PDF is (akta, KK, KIA); empty for the one document of a single service.
    component = models.ForeignKey(
        "cases.Component", null=True, blank=True, on_delete=models.CASCADE, related_name="outputs"
    )
    file = models.FileField(upload_to="outputs/%Y/%m/")
    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    signature_status = models.CharField(
        _("status tanda tangan"), max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.UNSIGNED
    )
    # What staff see about the signature: signer, signed_at, reason, problem (see pencet.lib.signing).
    signature_detail = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    is_specimen = models.BooleanField(_("spesimen"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dokumen hasil")
        verbose_name_plural = _("dokumen hasil")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_valid(self) -> bool:
        return self.signature_status == SignatureStatus.VALID


class Delivery(models.Model):
    """One attempt to hand the output to the citizen over one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    recipient = models.CharField(_("penerima"), max_length=255)
    error = models.TextField(_("kesalahan"), blank=True)
    outbound_message = models.ForeignKey(
        "whatsapp.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # The outputs sent by this delivery (e-mail attaches all; WhatsApp sends one document per row).
    documents = models.ManyToManyField(OutputDocument, blank=True, related_name="deliveries")
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(_("alasan pengecualian"), blank=True)
    # Deliveries queued together; the application counts as delivered once the whole batch is sent.
    batch = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class DemoSigner(models.Model):
    """The demo office's own CA and signing key, so a specimen can be signed without SIAK or BSrE.

    Kept in the database so the web server and every worker sign with the same key. Demo offices only.
    """

    office = models.OneToOneField("accounts.Office", on_delete=models.CASCADE, related_name="demo_signer")
    ca_cert_pem = models.TextField()
    ca_key_pem = models.TextField()
    cert_pem = models.TextField()
    key_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penanda tangan demo")
        verbose_name_plural = _("penanda tangan demo")
