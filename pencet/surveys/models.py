"""The satisfaction survey (SKM, PermenPANRB 14/2017) and complaints (pengaduan, PermenPANRB 62/2018).

A survey response holds no link to the citizen: no application, no contact, no time of day. The only link between a
person and the survey is SurveyInvitation (one per application, so nobody is asked twice), and it keeps the answers
only while the WhatsApp conversation runs; the finished response is written without any reference back to it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pencet.lib.ikm import ELEMENT_COUNT, SCORE_MAX, SCORE_MIN

# WhatsApp list rows show at most 24 characters of a title (pencet.whatsapp.client.MAX_ROW_TITLE).
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72


class SurveyChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    KIOSK = "kiosk", _("Kios (tablet loket)")
    PAPER = "paper", _("Kuesioner kertas")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class SurveyPeriod(models.Model):
    """One survey round of an office (at least one a year), with its own questionnaire and published result."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="survey_periods")
    name = models.CharField(_("nama periode"), max_length=120)
    starts_on = models.DateField(pgettext_lazy("survey period", "mulai"))
    ends_on = models.DateField(pgettext_lazy("survey period", "selesai"))
    intro = models.TextField(_("pengantar kuesioner"), blank=True)
    # The profile answers offered (the regulation's sample; an office may adjust them).
    education_options = models.JSONField(_("pilihan pendidikan"), default=list)
    occupation_options = models.JSONField(_("pilihan pekerjaan"), default=list)
    # The head of office's follow-up plan (rencana tindak lanjut), printed on the summary.
    follow_up_plan = models.TextField(_("rencana tindak lanjut"), blank=True)
    follow_up_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    # The figures as published, so the public page does not move when late paper forms are typed in.
    published_result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai.")})


class SurveyQuestion(models.Model):
    """One of the nine elements (unsur) in a period's questionnaire, with the wording of its four answers."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="questions")
    element = models.PositiveSmallIntegerField(
        _("unsur"), validators=[MinValueValidator(1), MaxValueValidator(ELEMENT_COUNT)]
    )
    name = models.CharField(_("nama unsur"), max_length=80)
    text = models.CharField(_("pertanyaan"), max_length=300)
    # Answer wording for scores 1..4 (the regulation's sample questionnaire); the short forms fit a WhatsApp row.
    option_1 = models.CharField(_("jawaban nilai 1"), max_length=ROW_DESCRIPTION_MAX)
    option_2 = models.CharField(_("jawaban nilai 2"), max_length=ROW_DESCRIPTION_MAX)
    option_3 = models.CharField(_("jawaban nilai 3"), max_length=ROW_DESCRIPTION_MAX)
    option_4 = models.CharField(_("jawaban nilai 4"), max_length=ROW_DESCRIPTION_MAX)
    short_1 = models.CharField(_("singkat nilai 1"), max_length=ROW_TITLE_MAX, blank=True)
    short_2 = models.CharField(_("singkat nilai 2"), max_length=ROW_TITLE_MAX, blank=True)
    short_3 = models.CharField(_("singkat nilai 3"), max_length=ROW_TITLE_MAX, blank=True)
    short_4 = models.CharField(_("singkat nilai 4"), max_length=ROW_TITLE_MAX, blank=True)
    # Words that tie a free-text suggestion to this element ("biaya, bayar, pungli"), comma-separated.
    keywords = models.CharField(_("kata kunci saran"), max_length=300, blank=True)

    class Meta:
        ordering = ["period", "element"]
        unique_together = [("period", "element")]
        verbose_name = _("pertanyaan survei")
        verbose_name_plural = _("pertanyaan survei")

    def __str__(self) -> str:
        return f"U{self.element} {self.name}"

    def options(self) -> list[tuple[int, str, str]]:
        """(score, full wording, short wording ≤ 24 characters) for scores 1..4."""
        result = []
        for score in range(SCORE_MIN, SCORE_MAX + 1):
            full = getattr(self, f"option_{score}")
            short = getattr(self, f"short_{score}") or full
            result.append((score, full, short))
        return result

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]

    def clean(self) -> None:
        for score in range(SCORE_MIN, SCORE_MAX + 1):
            full, short = getattr(self, f"option_{score}"), getattr(self, f"short_{score}")
            if len(full) > ROW_TITLE_MAX and not short:
                raise ValidationError(
                    {f"short_{score}": _("Jawaban lebih dari 24 huruf: isi bentuk singkat untuk WhatsApp.")}
                )


class AgeGroup(models.TextChoices):
    UP_TO_20 = "<=20", _("20 tahun ke bawah")
    FROM_21 = "21-30", _("21–30 tahun")
    FROM_31 = "31-40", _("31–40 tahun")
    FROM_41 = "41-50", _("41–50 tahun")
    FROM_51 = "51-60", _("51–60 tahun")
    OVER_60 = ">60", _("di atas 60 tahun")


def age_group_for(age: int) -> str:
    bounds = ((20, AgeGroup.UP_TO_20), (30, AgeGroup.FROM_21), (40, AgeGroup.FROM_31), (50, AgeGroup.FROM_41))
    for upper, group in (*bounds, (60, AgeGroup.FROM_51)):
        if age <= upper:
            return group.value
    return AgeGroup.OVER_60.value


class SurveyResponse(models.Model):
    """One filled questionnaire: profile, suggestion and (in SurveyAnswer) up to nine scores; nobody's identity."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="survey_responses")
    period = models.ForeignKey(SurveyPeriod, on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="survey_responses")
    channel = models.CharField(_("kanal"), max_length=10, choices=SurveyChannel.choices)
    # The day of the service (or of the answer); deliberately no time of day.
    date = models.DateField(_("tanggal"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("umur"), null=True, blank=True)
    age_group = models.CharField(_("kelompok umur"), max_length=5, choices=AgeGroup.choices, blank=True)
    education = models.CharField(_("pendidikan"), max_length=60, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=60, blank=True)
    suggestion = models.TextField(_("saran"), blank=True, validators=[MaxLengthValidator(2000)])
    # The printed questionnaire's serial number (paper only), unique per office against double entry.
    form_number = models.CharField(_("nomor formulir"), max_length=40, blank=True)
    # The officer who typed a paper form or whose tablet took a kiosk answer (not the respondent).
    entered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "form_number"],
                condition=~models.Q(form_number=""),
                name="survey_form_number_unique_per_office",
            )
        ]
        indexes = [models.Index(fields=["office", "date"])]
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")

    def __str__(self) -> str:
        return f"#{self.pk} {self.date}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    element = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(ELEMENT_COUNT)])
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])

    class Meta:
        ordering = ["response", "element"]
        unique_together = [("response", "element")]
        # The IKM headline sums each element's scores of a period's responses from this index alone (no table reads).
        indexes = [models.Index(fields=["response", "element", "score"], name="surveys_answer_ikm_sums")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="survey_score_1_to_4"
            )
        ]


class SurveyInvitation(models.Model):
    """The one WhatsApp invitation per application, and the conversation's state while it runs."""

    class State(models.TextChoices):
        INVITED = "invited", _("Diundang")
        IN_PROGRESS = "in_progress", _("Sedang mengisi")
        COMPLETED = "completed", pgettext_lazy("survey invitation state", "Selesai")
        DECLINED = "declined", _("Menolak")
        STOPPED = "stopped", _("Berhenti")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    application = models.OneToOneField("cases.Application", on_delete=models.CASCADE, related_name="survey_invitation")
    contact = models.ForeignKey("whatsapp.Contact", on_delete=models.CASCADE, related_name="survey_invitations")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    service_date = models.DateField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.INVITED)
    # The current question's key and the answers so far; emptied when the conversation ends.
    step = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")


class ComplaintCategory(models.TextChoices):
    REQUIREMENTS = "persyaratan", _("Persyaratan")
    PROCEDURE = "prosedur", _("Prosedur dan alur")
    TIME = "waktu", _("Waktu penyelesaian")
    FEES = "biaya", _("Biaya/pungutan")
    PRODUCT = "produk", _("Dokumen/produk layanan")
    STAFF = "petugas", _("Sikap dan kemampuan petugas")
    FACILITIES = "sarana", _("Sarana dan prasarana")
    DATA = "data", _("Data kependudukan/data pribadi")
    SUGGESTION = "saran", _("Saran dan masukan")
    OTHER = "lainnya", _("Lainnya")


class ComplaintChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    COUNTER = "counter", _("Loket/tatap muka")
    SURVEY = "survey", _("Dari survei")


class Complaint(models.Model):
    """A complaint or suggestion (pengaduan) with its own tracking code and response-time target."""

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        IN_PROGRESS = "in_progress", _("Ditangani")
        ANSWERED = "answered", _("Dijawab, menunggu konfirmasi")
        CLOSED = "closed", pgettext_lazy("complaint status", "Selesai")

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="complaints")
    tracking_code = models.CharField(_("kode pengaduan"), max_length=24, unique=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=ComplaintChannel.choices)
    category = models.CharField(_("kategori"), max_length=15, choices=ComplaintCategory.choices)
    text = models.TextField(_("isi pengaduan"), validators=[MaxLengthValidator(4000)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    # Who complains: a WhatsApp contact, or the name and number taken at the counter.
    contact = models.ForeignKey(
        "whatsapp.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    citizen_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    citizen_phone = models.CharField(_("nomor telepon pelapor"), max_length=20, blank=True)
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    filed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints_filed"
    )
    assigned_to = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_assigned",
        verbose_name=_("penanggung jawab"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The first answer to the citizen is due by then (office working time).
    due_at = models.DateTimeField(_("batas waktu tanggapan"))
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How the citizen confirmed the closing: "whatsapp", "counter" (told the officer), or "" (not yet).
    confirmed_via = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "status"])]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class ComplaintCounter(models.Model):
    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=4)  # YYMM
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("office", "period")]


class ComplaintEntry(models.Model):
    """The complaint's history: internal notes, replies to the citizen, assignment, escalation, closing."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Catatan internal")
        REPLY = "reply", _("Jawaban ke pelapor")
        CITIZEN = "citizen", _("Pesan pelapor")
        ASSIGN = "assign", _("Penugasan")
        ESCALATE = "escalate", _("Eskalasi")
        REOPEN = "reopen", _("Dibuka kembali")
        CLOSE = "close", _("Ditutup")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
