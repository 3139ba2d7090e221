from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    """One POST from Meta, stored raw (and committed) before it is acknowledged; the row is its own work item.

    Pending while processed_at and dead_at are both empty. A worker claims it (attempts + 1, claimed_until set)
    before processing; a failed attempt waits until next_attempt_at; after WHATSAPP_WEBHOOK_MAX_ATTEMPTS it is
    dead (dead_at, error) until an admin retries it.
    """

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    body = models.BinaryField()
    signature = models.CharField(max_length=100, blank=True)
    processed_at = models.DateTimeField(_("diproses"), null=True, blank=True)
    # What went wrong: updates refused at the edge (never retried) and, while retried, the failing ones.
    error = models.TextField(_("masalah"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A claim that outlives a worker (killed mid-delivery) expires, and the sweep takes the delivery again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(_("dihentikan"), null=True, blank=True)
    # Whose updates it carried (set when first processed; empty for several offices or none), so an office admin
    # sees only the deliveries of the own office.
    office = models.ForeignKey("accounts.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("webhook masuk")
        verbose_name_plural = _("webhook masuk")
        indexes = [
            # The sweep's queue: only unfinished rows, oldest first; finished rows leave the index.
            models.Index(
                fields=["id"],
                name="webhook_delivery_pending",
                condition=models.Q(processed_at__isnull=True, dead_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.received_at:%Y-%m-%d %H:%M:%S}" if self.received_at else f"#{self.pk}"


class Contact(models.Model):
    """A citizen (or village staff member) on WhatsApp, as seen by one office's number.

    Since 2026 Meta identifies users by a business-scoped user id; the phone (wa_id) may be absent.
    """

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="contacts")
    wa_user_id = models.CharField(_("user id WhatsApp"), max_length=64, null=True, blank=True)
    phone = models.CharField(_("nomor WhatsApp"), max_length=20, null=True, blank=True, db_index=True)
    profile_name = models.CharField(_("nama profil"), max_length=120, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    # Start of the 24-hour customer-service window is the last inbound message.
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    # The citizen asked for a person ("petugas"); officers answer from the console.
    needs_human = models.BooleanField(_("minta petugas"), default=False)
    staff_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="whatsapp_contacts"
    )
    # Meta's pair rate limit as a token bucket shared by every worker (outbox.py): how many messages this person
    # may still get at once, as counted at pace_counted_at. Empty (null) means a full bucket.
    pace_tokens = models.FloatField(null=True, blank=True)
    pace_counted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "wa_user_id"],
                name="contact_unique_user_id",
                condition=models.Q(wa_user_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["office", "phone"],
                name="contact_unique_phone",
                condition=models.Q(phone__isnull=False),
            ),
        ]
        verbose_name = _("kontak WhatsApp")
        verbose_name_plural = _("kontak WhatsApp")

    def __str__(self) -> str:
        return self.profile_name or self.phone or self.wa_user_id or f"#{self.pk}"


class InboundMessage(models.Model):
    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="inbound_messages")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="inbound_messages")
    wamid = models.CharField(max_length=255, unique=True)
    # text, image, document, audio, video, sticker, location, contacts, interactive, button, reaction, unsupported
    type = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    # For interactive/button replies: the id of the row or button tapped.
    reply_id = models.CharField(max_length=256, blank=True)
    payload = models.JSONField(default=dict)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Why the channel answered itself instead of passing the message to the bot (declined type, bad media).
    declined_reason = models.CharField(max_length=30, blank=True)
    delivery = models.ForeignKey(WebhookDelivery, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")


class OutboundMessage(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Teks")
        LIST = "list", _("Daftar pilihan")
        BUTTONS = "buttons", _("Tombol balasan")
        DOCUMENT = "document", _("Dokumen")
        TEMPLATE = "template", _("Template")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        DELIVERED = "delivered", _("Sampai")
        READ = "read", _("Dibaca")
        FAILED = "failed", _("Gagal")
        # The worker stopped during the HTTP call: never resent; a status webhook settles it.
        UNKNOWN = "unknown", _("Belum pasti")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="outbound_messages")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="outbound_messages")
    application = models.ForeignKey(
        "cases.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The message body in our own terms (text, buttons, rows, document, template); the client builds Graph JSON.
    payload = models.JSONField(default=dict)
    # Plain-text rendering for the console's conversation view.
    preview = models.TextField(blank=True)
    # Used when the 24-hour window is closed.
    template_event = models.CharField(max_length=30, blank=True)
    template_params = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    wamid = models.CharField(max_length=255, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    # When a send that failed for a passing reason is tried again, or that waits for the pair rate limit goes out.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_messages"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")


class MessageStatus(models.Model):
    """A delivery status reported by Meta, stored once per (wamid, status)."""

    wamid = models.CharField(max_length=255)
    status = models.CharField(max_length=20)
    timestamp = models.DateTimeField()
    error_code = models.CharField(max_length=20, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("wamid", "status")]
        verbose_name = _("status pesan")
        verbose_name_plural = _("status pesan")


class Media(models.Model):
    """The file of an inbound image or document, downloaded from Meta, checked and stored (EXIF stripped)."""

    message = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="media")
    media_id = models.CharField(max_length=64)
    # Empty when the file was refused; then rejected_reason says why.
    file = models.FileField(upload_to="whatsapp/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    original_name = models.CharField(max_length=255, blank=True)
    # Image quality notes from pencet.lib.images.image_quality (width, height, sharpness, brightness, problems).
    quality = models.JSONField(default=dict, blank=True)
    # too_big, wrong_type, corrupt, sha_mismatch, bomb, download_failed; empty when accepted.
    rejected_reason = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media masuk")
        verbose_name_plural = _("media masuk")

    def __str__(self) -> str:
        return self.original_name or self.media_id

    @property
    def accepted(self) -> bool:
        return not self.rejected_reason


class ChannelAlert(models.Model):
    """A channel-wide problem admins must act on; an open alert with stops_sending pauses the outbox."""

    office = models.ForeignKey("accounts.Office", null=True, blank=True, on_delete=models.CASCADE)
    code = models.CharField(max_length=20)
    message = models.TextField()
    stops_sending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="cleared_channel_alerts"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("peringatan kanal WhatsApp")
        verbose_name_plural = _("peringatan kanal WhatsApp")

    def __str__(self) -> str:
        return f"{self.code}: {self.message[:60]}"
