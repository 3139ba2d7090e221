import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu pemeriksaan")
    RETURNED = "returned", _("Dikembalikan ke pemohon")
    # A late registration (past the legal deadline) waits for the head of office's decision before the forum.
    AWAITING_DECISION = "awaiting_decision", _("Menunggu keputusan kepala dinas")
    ACCEPTED = "accepted", _("Di forum (menunggu operator)")
    IN_PROCESS = "in_process", _("Diproses di SIAK")
    AWAITING_VERIFICATION = "awaiting_verification", _("Menunggu verifikasi")
    AWAITING_SIGNATURE = "awaiting_signature", _("Menunggu tanda tangan")
    READY = "ready", _("Dokumen siap")
    DELIVERED = "delivered", _("Sudah dikirim")
    PICKED_UP = "picked_up", _("Sudah diambil")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")
    EXPIRED = "expired", _("Kedaluwarsa")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.RETURNED,
    Status.AWAITING_DECISION,
    Status.ACCEPTED,
    Status.IN_PROCESS,
    Status.AWAITING_VERIFICATION,
    Status.AWAITING_SIGNATURE,
    Status.READY,
)
CLOSED_STATUSES = (Status.DELIVERED, Status.PICKED_UP, Status.REJECTED, Status.CANCELLED, Status.EXPIRED)


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    VILLAGE_STAFF = "aparat_desa", _("Aparat desa")
    STAFF_INTAKE = "staff_intake", _("Diterima pegawai")
    WALK_IN = "walk_in", _("Tatap muka")
    # Registered on the spot at a village or school service day (Laki Keren, Pelangi Warga): pencet.outreach.
    SERVICE_DAY = "keliling", _("Layanan keliling")


class DisabilitySupport(models.TextChoices):
    """The kind of support a person with a disability needs (Sayang Dilan): what the officers bring or arrange."""

    NONE = "", _("Belum dicatat")
    # Short labels: they are the bot's list rows (≤ 24 characters).
    MOBILITY = "mobility", _("Kursi roda/sulit jalan")
    BEDRIDDEN = "bedridden", _("Tak bisa keluar rumah")
    VISUAL = "visual", _("Tunanetra")
    HEARING = "hearing", _("Tunarungu/tunawicara")
    INTELLECTUAL = "intellectual", _("Intelektual/mental")
    OTHER = "other", _("Lainnya")


class DeliveryPreference(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PICKUP = "pickup", _("Ambil di kantor")


class TrackingCounter(models.Model):
    """The last serial used per office and month, for codes like SNJ-2611-0042."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE)
    period = models.CharField(max_length=4)  # YYMM
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("office", "period")]


def status_token_new() -> str:
    """The secret in the receipt's QR code: 128 random bits, so the status page cannot be walked code by code."""
    return secrets.token_urlsafe(16)


class Application(models.Model):
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="applications")
    tracking_code = models.CharField(_("kode lacak"), max_length=20, unique=True)
    status_token = models.CharField(max_length=32, unique=True, default=status_token_new, editable=False)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="applications")
    channel = models.CharField(_("kanal"), max_length=15, choices=Channel.choices, default=Channel.WHATSAPP)
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.DRAFT, db_index=True)

    applicant_name = models.CharField(_("nama pemohon"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    kk_number = models.CharField(_("nomor KK"), max_length=16, blank=True)
    phone = models.CharField(_("nomor telepon/WhatsApp"), max_length=20, blank=True, db_index=True)
    contact = models.ForeignKey(
        "whatsapp.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    priority_elderly = models.BooleanField(_("lansia"), default=False)
    priority_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    disability_support = models.CharField(
        _("dukungan yang dibutuhkan"), max_length=15, choices=DisabilitySupport.choices, default="", blank=True
    )
    delivery_preference = models.CharField(
        _("cara penyerahan"),
        max_length=10,
        choices=DeliveryPreference.choices,
        default=DeliveryPreference.PICKUP,
    )
    # Date of the event the legal deadline counts from (birth, death, marriage, final decision).
    event_date = models.DateField(_("tanggal peristiwa"), null=True, blank=True)
    note = models.TextField(_("catatan pemohon"), blank=True)
    # The person the document is about (child, deceased): {SubjectField code: text, dates as YYYY-MM-DD}.
    subject = models.JSONField(_("data yang dimohonkan"), default=dict, blank=True)

    # Who registered it: village staff or an employee (null when the citizen applied themselves).
    submitted_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_applications",
    )
    # The operator holding it in the forum.
    claimed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_applications"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    siak_reference = models.CharField(_("nomor registrasi/dokumen SIAK"), max_length=200, blank=True)
    siak_note = models.TextField(_("catatan SIAK"), blank=True)
    close_reason = models.TextField(_("alasan"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Expected completion, in the office's working time (SLA).
    due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Queues (office, status; ordered by due moment in the database), overdue and due-soon filters.
            models.Index(fields=["office", "status", "due_at"], name="cases_app_queue_idx"),
            # The API list, newest first, and its `submitted_from` / `submitted_to` ranges.
            models.Index(fields=["office", "created_at", "id"], name="cases_app_office_created_idx"),
            models.Index(fields=["office", "submitted_at"], name="cases_app_office_submitted_idx"),
            # An exact KK number typed into the search (the NIK and the tracking code have their own).
            models.Index(fields=["kk_number"], name="cases_app_kk_idx"),
            # The API list with a channel, village or service filter: its count from the index alone, its page
            # newest first by walking the index.
            models.Index(fields=["office", "channel", "created_at", "id"], name="cases_app_office_channel_idx"),
            models.Index(fields=["office", "village", "created_at", "id"], name="cases_app_office_village_idx"),
            models.Index(fields=["office", "service", "created_at", "id"], name="cases_app_office_service_idx"),
            # Completed applications in a period (the survey report's response rate), counted from the index.
            models.Index(fields=["office", "status", "closed_at"], name="cases_app_office_closed_idx"),
        ]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_priority(self) -> bool:
        return self.priority_elderly or self.priority_disability


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(
        "catalog.Requirement", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(max_length=255, blank=True)
    # Image quality notes from the channel layer: width, height, sharpness, brightness, problems.
    quality = models.JSONField(default=dict, blank=True)
    wamid = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    # False once a reviewer marked it unreadable/wrong and the citizen sent a replacement.
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement__order", "created_at"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")


class ReviewItem(models.Model):
    """A reviewer's verdict on one requirement during the completeness review."""

    class Verdict(models.TextChoices):
        OK = "ok", _("Sesuai")
        MISSING = "missing", _("Belum ada")
        UNREADABLE = "unreadable", _("Tidak terbaca")
        WRONG_DOCUMENT = "wrong_document", _("Dokumen salah")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_items")
    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.CASCADE, related_name="review_items")
    verdict = models.CharField(max_length=15, choices=Verdict.choices)
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    reviewer = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    # Items of the review that returned the application stay open until the citizen answers them.
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class EventKind(models.TextChoices):
    """What happened on the application's timeline; transitions share their label with the action."""

    CREATED = "created", _("Dibuat")
    SUBMIT = "submit", _("Ajukan")
    RESUBMIT = "resubmit", _("Ajukan ulang")
    ACCEPT = "accept", _("Terima")
    RETURN = "return", _("Kembalikan ke pemohon")
    REJECT = "reject", _("Tolak")
    REFER_LATE = "refer_late", _("Teruskan ke kepala dinas (terlambat lapor)")
    APPROVE_LATE = "approve_late", _("Setujui pencatatan terlambat")
    REJECT_LATE = "reject_late", _("Tolak pencatatan terlambat")
    CLAIM = "claim", _("Ambil")
    RELEASE = "release", _("Lepaskan")
    TAKE_OVER = "take_over", _("Ambil alih")
    COMPLETE_SIAK = "complete_siak", _("Selesai input SIAK")
    APPROVE = "approve", _("Setujui")
    SEND_BACK = "send_back", _("Kembalikan ke operator")
    SIGN = "sign", _("Tanda tangani")
    DELIVER = "deliver", _("Kirim dokumen")
    PICK_UP = "pick_up", _("Diambil")
    CANCEL = "cancel", _("Batalkan")
    EXPIRE = "expire", _("Kedaluwarsa")
    NOTE = "note", _("Catatan")
    OFFICER_MESSAGE = "officer_message", _("Pesan petugas")
    CITIZEN_MESSAGE = "citizen_message", _("Pesan warga")
    ATTACHMENT_ADDED = "attachment_added", _("Lampiran ditambahkan")
    ATTACHMENT_REMOVED = "attachment_removed", _("Lampiran dihapus")
    DETAILS_CHANGED = "details_changed", _("Data permohonan diubah")
    DETAILS_CORRECTED = "details_corrected", _("Data permohonan dikoreksi petugas")
    OUTPUT_ADDED = "output_added", _("Dokumen hasil dilampirkan")
    OUTPUT_REMOVED = "output_removed", _("Dokumen hasil dihapus")
    DELIVERY_QUEUED = "delivery_queued", _("Pengiriman diantrekan")
    DELIVERY_FAILED = "delivery_failed", _("Pengiriman gagal")
    DELIVERY_OVERRIDE = "delivery_override", _("Dikirim dengan pengecualian")
    DUE_CHANGED = "due_changed", _("Perkiraan selesai berubah")
    # One document of a bundle (pencet.cases.components); the application moves on once every document has.
    COMPONENT_SIAK = "component_siak", _("Input SIAK satu dokumen")
    COMPONENT_APPROVE = "component_approve", _("Setujui satu dokumen")
    COMPONENT_SIGN = "component_sign", _("Tanda tangani satu dokumen")
    COMPONENT_DELIVER = "component_deliver", _("Satu dokumen terkirim")
    COMPONENT_PICK_UP = "component_pick_up", _("Satu dokumen diserahkan")


class Event(models.Model):
    """The application's timeline: every transition and every note, never edited.

    Events are also the outbox: once one commits, pencet.cases.events hands it to every subscriber in
    settings.PENCET_EVENT_SUBSCRIBERS (citizen notifications, surveys, clocks), each exactly once.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    # Free label for who acted when it was not staff: "warga", "sistem", "bot".
    actor_label = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    from_status = models.CharField(max_length=25, blank=True)
    to_status = models.CharField(max_length=25, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")


class EventHandling(models.Model):
    """One subscriber's handling of one event: claimed by one worker, done once, or failed and retried."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Sedang dijalankan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal, akan dicoba lagi")
        DEAD = "dead", _("Gagal, tidak dicoba lagi")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="handlings")
    # The subscriber's dotted path, as written in settings.PENCET_EVENT_SUBSCRIBERS.
    subscriber = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set by each claim; only the worker holding it may record the outcome.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "subscriber"], name="cases_eventhandling_once")]
        indexes = [models.Index(fields=["state", "retry_at"])]
        verbose_name = _("penanganan riwayat")
        verbose_name_plural = _("penanganan riwayat")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber} ({self.state})"


# Stage timers, interruptions (pencet.cases.clocks); the access log (pencet.cases.access); a bundle's documents.
from . import models_access, models_clocks, models_components  # noqa: E402, F401
from .models_components import Component, ComponentState  # noqa: E402, F401
