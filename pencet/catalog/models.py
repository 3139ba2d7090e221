from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .blank_forms import FORM_CHOICES

# WhatsApp list rows show at most 24 characters of a title.
SHORT_NAME_MAX = 24


class SubjectField(models.TextChoices):
    """The data about the person a document is about (the child, the deceased), as a service may ask for it.

    A small fixed vocabulary: the bot, the console and the API know how to ask, check and show each one.
    """

    CHILD_NAME = "child_name", _("Nama anak")
    CHILD_SEX = "child_sex", _("Jenis kelamin anak")
    CHILD_BIRTH_DATE = "child_birth_date", _("Tanggal lahir anak")
    CHILD_BIRTH_PLACE = "child_birth_place", _("Tempat lahir anak")
    FATHER_NAME = "father_name", _("Nama ayah")
    MOTHER_NAME = "mother_name", _("Nama ibu")
    DECEASED_NAME = "deceased_name", _("Nama almarhum/almarhumah")
    DECEASED_NIK = "deceased_nik", _("NIK almarhum/almarhumah")
    DEATH_DATE = "death_date", _("Tanggal kematian")
    DEATH_PLACE = "death_place", _("Tempat kematian")


# How each field is typed in: a date, a sex (L/P), a NIK; the rest are names and places (free text).
SUBJECT_DATE_FIELDS = (SubjectField.CHILD_BIRTH_DATE, SubjectField.DEATH_DATE)
SUBJECT_SEX_FIELDS = (SubjectField.CHILD_SEX,)
SUBJECT_NIK_FIELDS = (SubjectField.DECEASED_NIK,)
# The date a service's legal deadline counts from, when the service asks for it as subject data.
SUBJECT_EVENT_DATE_FIELDS = SUBJECT_DATE_FIELDS


class DeliveryMode(models.TextChoices):
    """How a finished document can reach the citizen (the same values as cases.DeliveryPreference)."""

    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PICKUP = "pickup", _("Ambil di kantor")


class InPerson(models.TextChoices):
    """Why a service needs the citizen at the office (or a service day): the bot then offers the recording desk's
    free hours (pencet.outreach). Empty: everything goes through WhatsApp."""

    RECORDING = "recording", _("Perekaman KTP-el pertama")
    BIOMETRIC = "biometric", _("Pemutakhiran data biometrik")
    ORIGINALS = "originals", _("Pemeriksaan dokumen asli")


ALL_DELIVERY_MODES = [DeliveryMode.EMAIL.value, DeliveryMode.WHATSAPP.value, DeliveryMode.PICKUP.value]


def delivery_modes_default() -> list[str]:
    return list(ALL_DELIVERY_MODES)


class Service(models.Model):
    """A civil-registry service (or a bundle of services applied for together)."""

    class Group(models.TextChoices):
        KK = "kk", _("Kartu Keluarga")
        KTP = "ktp", _("KTP-el")
        KIA = "kia", _("KIA")
        AKTA = "akta", _("Akta pencatatan sipil")
        PINDAH = "pindah", _("Pindah datang/keluar")
        PAKET = "paket", _("Paket layanan")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama lengkap"), max_length=150)
    short_name = models.CharField(
        _("nama singkat (WhatsApp)"),
        max_length=SHORT_NAME_MAX,
        validators=[MaxLengthValidator(SHORT_NAME_MAX)],
    )
    group = models.CharField(_("kelompok"), max_length=10, choices=Group.choices)
    description = models.TextField(_("kegunaan"), blank=True)
    who_may_apply = models.TextField(_("yang dapat mengajukan"), blank=True)
    needs_biometric = models.BooleanField(_("perlu perekaman biometrik di kantor"), default=False)
    in_person = models.CharField(_("perlu hadir di kantor"), max_length=10, choices=InPerson.choices, blank=True)
    # Days after the event (birth, death, marriage, final decision) within which to register.
    legal_deadline_days = models.PositiveIntegerField(_("batas waktu pelaporan (hari)"), null=True, blank=True)
    legal_basis = models.CharField(_("dasar hukum batas waktu"), max_length=120, blank=True)
    # What the deadline counts from, shown to the citizen ("kelahiran", "kematian", …).
    event_label = models.CharField(_("peristiwa"), max_length=60, blank=True)
    # Used when `same_day` is off: the whole service within this much working time of submission.
    target_working_hours = models.PositiveIntegerField(_("target penyelesaian (jam kerja)"), default=8)
    # "Sehari jadi": done the same working day when submitted before the office's cut-off, else by the office's hour
    # of the next working day.
    same_day = models.BooleanField(_("sehari jadi"), default=True)
    # SubjectField codes, asked in this order (the child's or the deceased's data the document is issued for).
    subject_fields = models.JSONField(_("data yang ditanyakan"), default=list, blank=True)
    # DeliveryMode codes: a printed card or blanko (KTP-el, KIA) exists only at the office, a PDF travels.
    delivery_modes = models.JSONField(_("cara penyerahan yang tersedia"), default=delivery_modes_default, blank=True)
    is_bundle = models.BooleanField(_("paket"), default=False)
    components = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="bundles", verbose_name=_("layanan dalam paket")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [f for f in self.subject_fields or [] if f not in SubjectField.values]
        if unknown:
            raise ValidationError({"subject_fields": _("Kode data tidak dikenal: %s") % ", ".join(map(str, unknown))})
        modes = self.delivery_modes or []
        if not modes or any(mode not in DeliveryMode.values for mode in modes):
            raise ValidationError({"delivery_modes": _("Pilih satu atau lebih dari: email, whatsapp, pickup.")})


class Requirement(models.Model):
    """One file a service needs. Requirements sharing an alternative_group: any one of them suffices."""

    class Accepts(models.TextChoices):
        IMAGE_OR_PDF = "any", _("Foto atau PDF")
        IMAGE = "image", _("Foto")
        PDF = "pdf", _("PDF")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama lengkap"), max_length=200)
    short_name = models.CharField(
        _("nama singkat (WhatsApp)"),
        max_length=SHORT_NAME_MAX,
        validators=[MaxLengthValidator(SHORT_NAME_MAX)],
    )
    instruction = models.CharField(_("petunjuk foto"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    optional = models.BooleanField(_("opsional"), default=False)
    alternative_group = models.CharField(_("kelompok alternatif"), max_length=40, blank=True)
    # Shown to the citizen to decide whether an optional item applies ("jika pindahan dari luar daerah").
    condition = models.CharField(_("syarat berlaku"), max_length=200, blank=True)
    accepts = models.CharField(_("jenis berkas"), max_length=5, choices=Accepts.choices, default=Accepts.IMAGE_OR_PDF)
    # The blank form (pencet.catalog.blank_forms) the citizen fills for this requirement; the bot offers its PDF.
    form = models.CharField(_("formulir kosong"), max_length=10, choices=FORM_CHOICES, blank=True)
    # The original is checked at the office (a court decision, an SKPWNI): the photo alone does not do.
    original_shown = models.BooleanField(_("dokumen asli diperlihatkan di kantor"), default=False)

    class Meta:
        ordering = ["service", "order"]
        unique_together = [("service", "code")]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self) -> str:
        return self.name


class MetaStatus(models.TextChoices):
    """A message template's review status as the Graph API reports it."""

    APPROVED = "APPROVED", _("Disetujui")
    PENDING = "PENDING", _("Menunggu peninjauan")
    REJECTED = "REJECTED", _("Ditolak")
    PAUSED = "PAUSED", _("Dijeda")
    DISABLED = "DISABLED", _("Dinonaktifkan")
    IN_APPEAL = "IN_APPEAL", _("Dalam banding")
    PENDING_DELETION = "PENDING_DELETION", _("Akan dihapus")
    DELETED = "DELETED", _("Dihapus")
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED", _("Melewati batas")
    ARCHIVED = "ARCHIVED", _("Diarsipkan")


class MessageTemplate(models.Model):
    """An approved WhatsApp template (utility category) for messages outside the 24-hour window."""

    class Event(models.TextChoices):
        STATUS_UPDATE = "status_update", _("Perubahan status")
        MISSING_ITEMS = "missing_items", _("Berkas kurang")
        DOCUMENT_READY = "document_ready", _("Dokumen siap")
        SURVEY_INVITATION = "survey_invitation", _("Undangan survei")
        OFFICER_MESSAGE = "officer_message", _("Pesan petugas")
        DRAFT_EXPIRED = "draft_expired", _("Draf kedaluwarsa")
        # pencet.outreach: bookings, home visits and announcements.
        APPOINTMENT_REMINDER = "appointment_reminder", _("Pengingat janji temu")
        HOME_VISIT = "home_visit", _("Kunjungan rumah")
        SERVICE_DAY_ANNOUNCEMENT = "service_day_announcement", _("Pengumuman layanan keliling")
        PROGRAMME_ANNOUNCEMENT = "programme_announcement", _("Pengumuman program")

    class Category(models.TextChoices):
        UTILITY = "UTILITY", _("Utility")
        MARKETING = "MARKETING", _("Marketing")
        AUTHENTICATION = "AUTHENTICATION", _("Authentication")

    office = models.ForeignKey(
        "accounts.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="message_templates"
    )
    name = models.CharField(_("nama template (di Meta)"), max_length=512)
    language = models.CharField(_("bahasa"), max_length=10, default="id")
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, default=Category.UTILITY)
    event = models.CharField(_("dipakai untuk"), max_length=30, choices=Event.choices)
    # Ordered names of the body parameters, e.g. ["nama", "kode", "status"].
    body_parameters = models.JSONField(_("parameter isi"), default=list, blank=True)
    body_preview = models.TextField(_("isi (pratinjau)"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Meta's review of the template, as the last sync read it (pencet.whatsapp.templates); never set by hand:
    # announcements go out only while Meta answers APPROVED. Empty: not synced yet, or Meta does not know it.
    meta_status = models.CharField(_("status di Meta"), max_length=20, choices=MetaStatus.choices, blank=True)
    meta_category = models.CharField(_("kategori di Meta"), max_length=20, blank=True)
    meta_components = models.JSONField(_("isi di Meta"), default=list, blank=True)
    meta_synced_at = models.DateTimeField(_("disinkronkan dari Meta"), null=True, blank=True)

    class Meta:
        unique_together = [("office", "name", "language")]
        verbose_name = _("template WhatsApp")
        verbose_name_plural = _("template WhatsApp")

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Stage(models.TextChoices):
    """The steps an application's clock times. Order is the order of the path."""

    REVIEW = "review", _("Pemeriksaan kelengkapan")
    WAITING_CITIZEN = "waiting_citizen", _("Menunggu pemohon")
    HEAD_DECISION = "head_decision", _("Keputusan kepala dinas (terlambat lapor)")
    FORUM = "forum", _("Forum (menunggu operator)")
    SIAK = "siak", _("Input SIAK")
    VERIFICATION = "verification", _("Verifikasi")
    SIGNATURE = "signature", _("Tanda tangan")
    DELIVERY = "delivery", _("Pengiriman/pengambilan")


# Seeded per service (working minutes) from the seed's figures: completeness check 5–15 minutes, the document
# issued about 15 minutes after SIAK input (verification + signature), the rest sized to keep "sehari jadi".
# Waiting for the citizen has no target: it is the citizen's time and pauses the service clock.
DEFAULT_STAGE_MINUTES: dict[str, int] = {
    Stage.REVIEW: 15,
    Stage.HEAD_DECISION: 120,
    Stage.FORUM: 30,
    Stage.SIAK: 30,
    Stage.VERIFICATION: 10,
    Stage.SIGNATURE: 5,
    Stage.DELIVERY: 30,
}


class StageTarget(models.Model):
    """How long one stage of one service may take, in the office's working minutes."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="stage_targets")
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    minutes = models.PositiveIntegerField(_("target (menit kerja)"))

    class Meta:
        ordering = ["service", "stage"]
        constraints = [models.UniqueConstraint(fields=["service", "stage"], name="stage_target_one_per_stage")]
        verbose_name = _("target tahap")
        verbose_name_plural = _("target tahap")

    def __str__(self) -> str:
        return f"{self.service} · {self.get_stage_display()}: {self.minutes}"


class CannedReply(models.Model):
    """A ready answer an office keeps for the chats handed to an officer; the officer picks it, may edit, sends."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="canned_replies")
    title = models.CharField(_("judul"), max_length=60)
    body = models.TextField(_("isi pesan"), max_length=1000)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["office", "order", "title"]
        verbose_name = _("balasan siap pakai")
        verbose_name_plural = _("balasan siap pakai")

    def __str__(self) -> str:
        return self.title
