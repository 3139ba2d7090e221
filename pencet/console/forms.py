from datetime import date

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Application, Channel, DeliveryPreference, DisabilitySupport, ReviewItem
from pencet.catalog.models import (
    SUBJECT_DATE_FIELDS,
    SUBJECT_EVENT_DATE_FIELDS,
    SUBJECT_NIK_FIELDS,
    SUBJECT_SEX_FIELDS,
    Requirement,
    Service,
    SubjectField,
)
from pencet.lib.nik import kk_parse, nik_parse
from pencet.lib.phone import phone_normalize
from pencet.regions.models import Region
from pencet.regions.selectors import region_names

# Canned reasons per verdict, so the citizen gets the same clear words whoever reviews.
CANNED_REASONS: dict[str, tuple[str, ...]] = {
    ReviewItem.Verdict.MISSING: (
        _("Berkas belum dikirim"),
        _("Halaman belakang belum dikirim"),
    ),
    ReviewItem.Verdict.UNREADABLE: (
        _("Foto buram"),
        _("Foto terlalu gelap"),
        _("Sebagian dokumen terpotong"),
        _("Ada pantulan cahaya/silau"),
    ),
    ReviewItem.Verdict.WRONG_DOCUMENT: (
        _("Bukan dokumen yang diminta"),
        _("Dokumen milik orang lain"),
        _("Dokumen sudah tidak berlaku"),
        _("Harap kirim foto dokumen asli, bukan fotokopi"),
        _("Data pada dokumen tidak sesuai dengan data pemohon"),
    ),
}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class SiakForm(forms.Form):
    siak_reference = forms.CharField(label=_("Nomor registrasi/dokumen SIAK"), max_length=200)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Alasan dikembalikan ke operator"), widget=forms.Textarea(attrs={"rows": 2}))


class TakeOverForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Operator pengganti"), queryset=User.objects.none())
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = User.objects.filter(
            office=office, is_active=True, role_grants__role=Role.OPERATOR
        ).order_by("first_name", "username")
        self.fields["operator"].label_from_instance = lambda u: u.get_full_name() or u.username


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Pesan ke pemohon"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class OutputForm(forms.Form):
    file = forms.FileField(label=_("Dokumen hasil (PDF bertanda tangan)"))


class DeliverForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Alasan tetap mengirim dokumen yang tanda tangannya tidak sah/tidak ada"),
        required=False,
        max_length=500,
    )


class PickupForm(forms.Form):
    """Who collected the document at the counter, and which originals they showed.

    A representative shows their own ID and is either family in the applicant's KK or brings a surat kuasa."""

    COLLECTOR_CHOICES = [("applicant", _("Pemohon sendiri")), ("representative", _("Diwakilkan"))]
    RELATIONSHIP_CHOICES = [
        ("", _("— pilih —")),
        ("keluarga_kk", _("Anggota keluarga dalam KK yang sama")),
        ("kuasa", _("Orang lain dengan surat kuasa")),
    ]
    collector = forms.ChoiceField(label=_("Diambil oleh"), choices=COLLECTOR_CHOICES, widget=forms.RadioSelect)
    representative_name = forms.CharField(label=_("Nama yang mewakili"), required=False, max_length=150)
    representative_id_number = forms.CharField(label=_("NIK/nomor KTP yang mewakili"), required=False, max_length=30)
    relationship = forms.ChoiceField(label=_("Hubungan dengan pemohon"), choices=RELATIONSHIP_CHOICES, required=False)
    relationship_detail = forms.CharField(
        label=_("Keterangan hubungan (mis. suami, anak)"), required=False, max_length=100
    )
    power_of_attorney = forms.BooleanField(label=_("Surat kuasa diperlihatkan dan disimpan"), required=False)
    originals_seen = forms.MultipleChoiceField(
        label=_("Dokumen asli yang diperlihatkan"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args: object, requirements: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["originals_seen"].choices = [(r.code, r.name) for r in requirements]
        self.fields["collector"].initial = "applicant"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("collector") != "representative":
            return data
        if not (data.get("representative_name") or "").strip():
            self.add_error("representative_name", _("Isi nama orang yang mewakili pemohon."))
        digits = "".join(c for c in data.get("representative_id_number") or "" if c.isdigit())
        if len(digits) != 16:
            self.add_error("representative_id_number", _("Isi NIK orang yang mewakili (16 angka, seperti di KTP)."))
        data["representative_id_number"] = digits
        if not data.get("relationship"):
            self.add_error("relationship", _("Pilih hubungan orang yang mewakili dengan pemohon."))
        elif data["relationship"] == "kuasa" and not data.get("power_of_attorney"):
            self.add_error("power_of_attorney", _("Orang lain hanya boleh mengambil dengan surat kuasa dari pemohon."))
        return data

    def collector_record(self) -> dict[str, str]:
        """What the pick-up Event keeps about a representative."""
        data = self.cleaned_data
        if data.get("collector") != "representative":
            return {}
        return {
            "id_number": data["representative_id_number"],
            "relationship": data["relationship"],
            "relationship_detail": data.get("relationship_detail", "").strip(),
            "power_of_attorney": "ya" if data.get("power_of_attorney") else "tidak",
        }


# Typed as officers write dates (dd-mm-yyyy, also with / or .), not the browser's date picker, whose format
# follows the PC's language and is often mm/dd/yyyy on an English Windows.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]


def typed_date_field(*, label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d-%m-%Y", attrs={"placeholder": "dd-mm-yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={"invalid": _("Tulis tanggal sebagai hari-bulan-tahun, misalnya 17-08-2025.")},
    )


def _subject_field(*, code: str, label: str) -> forms.Field:
    if code in SUBJECT_DATE_FIELDS:
        return typed_date_field(label=label)
    if code in SUBJECT_SEX_FIELDS:
        return forms.ChoiceField(label=label, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))])
    if code in SUBJECT_NIK_FIELDS:
        return forms.CharField(label=label, max_length=30, required=False, validators=[_nik_validate])
    return forms.CharField(label=label, max_length=150)


def _nik_validate(value: str) -> None:
    if value and not nik_parse(value=value, region_names=region_names).valid:
        raise forms.ValidationError(_("NIK 16 angka, seperti di KK."))


class _ApplicantChecks:
    """The NIK, KK and phone checks the registration and the correction forms share."""

    cleaned_data: dict

    def clean_nik(self) -> str:
        check = nik_parse(value=self.cleaned_data["nik"], region_names=region_names)
        if not check.valid:
            raise forms.ValidationError([e.message for e in check.errors])
        return check.nik or ""

    def clean_kk_number(self) -> str:
        value = self.cleaned_data.get("kk_number", "")
        if not value:
            return ""
        check = kk_parse(value=value, region_names=region_names)
        if not check.valid:
            raise forms.ValidationError([e.message for e in check.errors])
        return check.kk or ""

    def clean_phone(self) -> str:
        typed = self.cleaned_data.get("phone", "")
        if not typed.strip():
            return ""
        phone = phone_normalize(typed)
        if phone is None:
            raise forms.ValidationError(_("Nomor telepon tidak lengkap."))
        return phone


def _villages_for(user: User) -> models.QuerySet[Region]:
    if user.roles == {Role.VILLAGE_STAFF}:
        return user.villages.order_by("name")
    regency = user.office.regency_id if user.office else ""
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{regency}.").order_by("name")


class CorrectionForm(_ApplicantChecks, forms.Form):
    """Staff correct what was registered: the applicant, the village, the subject's data; with a reason."""

    applicant_name = forms.CharField(label=_("Nama pemohon"), max_length=150)
    nik = forms.CharField(label=_("NIK pemohon"), max_length=30)
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=30, required=False)
    phone = forms.CharField(label=_("Nomor WhatsApp/telepon"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    village = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Region.objects.none(), to_field_name="code")
    event_date = typed_date_field(label=_("Tanggal peristiwa (lahir, meninggal, menikah…)"), required=False)
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, user: User, application: Application, **kwargs: object) -> None:
        service = application.service
        initial = {
            "applicant_name": application.applicant_name,
            "nik": application.nik,
            "kk_number": application.kk_number,
            "phone": application.phone,
            "email": application.email,
            "village": application.village.code if application.village_id else None,
            "event_date": application.event_date,
        }
        codes = [code for code in service.subject_fields or [] if code in SubjectField.values]
        for code in codes:
            value = (application.subject or {}).get(code, "")
            if code in SUBJECT_DATE_FIELDS and value:
                value = date.fromisoformat(value)
            initial[f"subject_{code}"] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["village"].queryset = _villages_for(user)
        self.fields["village"].label_from_instance = lambda r: r.name
        if not service.legal_deadline_days or set(codes) & set(SUBJECT_EVENT_DATE_FIELDS):
            del self.fields["event_date"]
        labels = dict(SubjectField.choices)
        for code in codes:
            self.fields[f"subject_{code}"] = _subject_field(code=code, label=labels[code])
        self.subject_codes = codes
        self.counts_deadline = bool(service.legal_deadline_days)
        # The reason last, after the data it explains.
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def changes(self) -> dict[str, object]:
        """The corrected values, as cases.corrections.application_correct takes them."""
        data = self.cleaned_data
        changes = {
            name: data.get(name)
            for name in ("applicant_name", "nik", "kk_number", "phone", "email", "village", "event_date")
            if name in self.fields
        }
        subject = {}
        for code in self.subject_codes:
            value = data.get(f"subject_{code}") or ""
            if code in SUBJECT_NIK_FIELDS and value:
                value = nik_parse(value=value, region_names=region_names).nik or value
            subject[code] = value
        if subject:
            changes["subject"] = subject
        event = next((subject[c] for c in self.subject_codes if c in SUBJECT_EVENT_DATE_FIELDS and subject[c]), None)
        if event and self.counts_deadline:
            changes["event_date"] = event
        return changes


class AttachmentForm(forms.Form):
    """Staff add a file to an application past its draft, for one requirement or as another file."""

    requirement = forms.ModelChoiceField(
        label=_("Untuk persyaratan"), queryset=Requirement.objects.none(), required=False, empty_label=_("Berkas lain")
    )
    file = forms.FileField(label=_("Berkas (foto atau PDF)"))

    def __init__(self, *args: object, service: Service, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = service.requirements.all()
        self.fields["requirement"].label_from_instance = lambda r: r.name


class IntakeForm(_ApplicantChecks, forms.Form):
    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[(Channel.STAFF_INTAKE, Channel.STAFF_INTAKE.label), (Channel.WALK_IN, Channel.WALK_IN.label)],
        widget=forms.RadioSelect,
        initial=Channel.STAFF_INTAKE,
    )
    applicant_name = forms.CharField(label=_("Nama pemohon"), max_length=150)
    nik = forms.CharField(label=_("NIK pemohon"), max_length=30)
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=30, required=False)
    phone = forms.CharField(label=_("Nomor WhatsApp/telepon"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    district = forms.ModelChoiceField(label=_("Kecamatan"), queryset=Region.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    delivery_preference = forms.ChoiceField(
        label=_("Cara penyerahan dokumen"), choices=DeliveryPreference.choices, initial=DeliveryPreference.PICKUP
    )
    event_date = typed_date_field(label=_("Tanggal peristiwa (lahir, meninggal, menikah…)"), required=False)
    priority_elderly = forms.BooleanField(label=_("Lansia"), required=False)
    priority_disability = forms.BooleanField(label=_("Penyandang disabilitas"), required=False)
    # Sayang Dilan: what the officers prepare (pencet.outreach home visits for whoever cannot come).
    disability_support = forms.ChoiceField(
        label=_("Dukungan yang dibutuhkan"), choices=DisabilitySupport.choices, required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: object, user: User, service: Service | None = None, district_code: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject_codes: list[str] = []
        if service is not None:
            self._service_fit(service)
        office = user.office
        regency = office.regency_id if office else ""
        villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{regency}.")
        if user.roles == {Role.VILLAGE_STAFF}:
            villages = user.villages.all()
            del self.fields["channel"]
            # Village staff register for their own village: it is chosen already (the only one, or the first).
            own = villages.order_by("name").first()
            if own is not None and not self.is_bound:
                self.initial.setdefault("village", own.code)
                self.initial.setdefault("district", own.parent_id)
        villages = villages.order_by("name")
        self.fields["district"].queryset = Region.objects.filter(
            level=Region.Level.DISTRICT, parent_id=regency
        ).order_by("name")
        self.fields["district"].label_from_instance = lambda r: r.name
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda r: r.name
        self.village_choices = villages.filter(parent_id=district_code) if district_code else villages

    def _service_fit(self, service: Service) -> None:
        """Only what this service needs: its subject data, its delivery modes, the event date when it counts."""
        modes = [c for c in DeliveryPreference.choices if c[0] in (service.delivery_modes or [])]
        self.fields["delivery_preference"].choices = modes or DeliveryPreference.choices
        if modes:
            self.fields["delivery_preference"].initial = modes[-1][0]
        codes = [code for code in service.subject_fields or [] if code in SubjectField.values]
        if not service.legal_deadline_days or set(codes) & set(SUBJECT_EVENT_DATE_FIELDS):
            del self.fields["event_date"]
        labels = dict(SubjectField.choices)
        for code in codes:
            self.fields[f"subject_{code}"] = _subject_field(code=code, label=labels[code])
        self.subject_codes = codes

    def subject_data(self) -> dict[str, object]:
        return {code: self.cleaned_data.get(f"subject_{code}") or "" for code in self.subject_codes}

    def clean(self) -> dict:
        data = super().clean()
        for code in self.subject_codes:
            if code in SUBJECT_NIK_FIELDS and data.get(f"subject_{code}"):
                data[f"subject_{code}"] = nik_parse(value=data[f"subject_{code}"], region_names=region_names).nik
        if data.get("delivery_preference") == DeliveryPreference.EMAIL and not data.get("email"):
            self.add_error("email", _("Isi alamat e-mail untuk pengiriman lewat e-mail."))
        if data.get("delivery_preference") == DeliveryPreference.WHATSAPP and not data.get("phone"):
            self.add_error("phone", _("Isi nomor WhatsApp untuk pengiriman lewat WhatsApp."))
        return data


class ChatReplyForm(forms.Form):
    """An officer's answer in a chat handed to a person, maybe started from one of the office's canned replies."""

    canned = forms.TypedChoiceField(label=_("Balasan siap pakai"), required=False, coerce=int, empty_value=None)
    body = forms.CharField(label=_("Balasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: object, canned: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.canned_replies = {reply.pk: reply for reply in canned or []}
        self.fields["canned"].choices = [("", _("— pilih balasan siap pakai —"))] + [
            (reply.pk, reply.title) for reply in canned or []
        ]

    def clean_canned(self) -> object:
        picked = self.cleaned_data.get("canned")
        return self.canned_replies.get(picked) if picked else None
