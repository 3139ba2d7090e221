"""Complaints and suggestions (pengaduan, PermenPANRB 62/2018): filing, assignment, notes, replies, escalation, closing.

Who may do what is decided here, for the console and the API alike:
- every office role but leadership may file one at the counter (village staff for their own villages' citizens);
- petugas layanan, admin and the head of office (penandatangan) assign, note, reply and close any complaint of their
  office; any other officer does so for the complaints assigned to them; leadership only reads.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Application
from pencet.cases.services import office_working_time_add
from pencet.catalog.models import MessageTemplate
from pencet.whatsapp.models import Contact
from pencet.whatsapp.services import outbox_enqueue

from .models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintCounter, ComplaintEntry

# Working hours until the first answer is due: three working days of eight hours. PermenPANRB 62/2018 leaves the
# time to each unit's own service standard, so it is a setting (PENCET_COMPLAINT_RESPONSE_HOURS), not law.
RESPONSE_TARGET_HOURS = 24
HANDLER_ROLES = (Role.SERVICE_OFFICER, Role.ADMIN, Role.SIGNER)
CONFIRM_PREFIX = "adu:ok:"
REOPEN_PREFIX = "adu:no:"


class ComplaintError(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def complaint_may_file(*, user: User) -> bool:
    return user.office_id is not None and bool(user.roles) and not user.roles <= {Role.LEADERSHIP}


def complaint_may_handle(*, complaint: Complaint, user: User) -> bool:
    if user.office_id != complaint.office_id:
        return False
    return user.has_role(*HANDLER_ROLES) or complaint.assigned_to_id == user.pk


def _check_handler(complaint: Complaint, user: User) -> None:
    if not complaint_may_handle(complaint=complaint, user=user):
        raise ComplaintError(_("Anda tidak berwenang menangani pengaduan ini."), code="forbidden")


def complaint_code_next(*, office: Office, at: datetime | None = None) -> str:
    """ADU-SNJ-2611-0007: readable over the phone, distinct from application codes."""
    period = timezone.localtime(at or timezone.now(), ZoneInfo(office.time_zone)).strftime("%y%m")
    with transaction.atomic():
        counter, _created = ComplaintCounter.objects.select_for_update().get_or_create(office=office, period=period)
        ComplaintCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        counter.refresh_from_db()
    return f"ADU-{office.code}-{period}-{counter.last:04d}"


def _entry(complaint: Complaint, kind: str, author: User | None, text: str = "") -> ComplaintEntry:
    return ComplaintEntry.objects.create(complaint=complaint, kind=kind, author=author, text=text)


def _tell(complaint: Complaint, body: str, buttons: list[dict] | None = None, sent_by: User | None = None) -> None:
    """A message to the complaining citizen on WhatsApp (nothing when they complained at the counter only)."""
    contact = complaint.contact
    if contact is None:
        return
    params = [complaint.citizen_name or contact.profile_name or "-", complaint.tracking_code, body[:900]]
    kind, payload = ("buttons", {"body": body[:1024], "buttons": buttons}) if buttons else ("text", {"body": body})
    outbox_enqueue(
        contact=contact,
        kind=kind,
        payload=payload,
        application=complaint.application,
        template_event=MessageTemplate.Event.OFFICER_MESSAGE,
        template_params=params,
        sent_by=sent_by,
    )


@transaction.atomic
def complaint_file(
    *,
    office: Office,
    contact: Contact | None = None,
    text: str,
    category: str,
    application: Application | None = None,
    channel: str,
    citizen_name: str = "",
    citizen_phone: str = "",
    filed_by: User | None = None,
) -> Complaint:
    """File a complaint from WhatsApp (contact, filed_by None), the survey or the counter (filed_by the officer)."""
    text = text.strip()
    if not text:
        raise ComplaintError(_("Isi pengaduan wajib diisi."), code="text_required")
    if category not in ComplaintCategory.values:
        raise ComplaintError(_("Kategori pengaduan tidak dikenal."), code="invalid_category")
    if channel not in ComplaintChannel.values:
        raise ComplaintError(_("Kanal pengaduan tidak dikenal."), code="invalid_channel")
    if filed_by is not None and (not complaint_may_file(user=filed_by) or filed_by.office_id != office.pk):
        raise ComplaintError(_("Anda tidak berwenang mencatat pengaduan."), code="forbidden")
    if application is not None and application.office_id != office.pk:
        raise ComplaintError(_("Permohonan tidak ditemukan."), code="unknown_application")
    if contact is not None and contact.office_id != office.pk:
        raise ComplaintError(_("Kontak bukan dari kantor ini."), code="forbidden")
    now = timezone.now()
    complaint = Complaint.objects.create(
        office=office,
        tracking_code=complaint_code_next(office=office, at=now),
        channel=channel,
        category=category,
        text=text[:4000],
        contact=contact,
        citizen_name=citizen_name.strip()[:150] or (application.applicant_name if application else ""),
        citizen_phone=citizen_phone.strip()[:20] or (contact.phone or "" if contact else ""),
        application=application,
        filed_by=filed_by,
        due_at=office_working_time_add(
            office=office, start=now, hours=getattr(settings, "PENCET_COMPLAINT_RESPONSE_HOURS", RESPONSE_TARGET_HOURS)
        ),
    )
    if contact is not None:
        with translation.override(contact.language or "id"):
            _tell(
                complaint,
                _(
                    "Pengaduan Anda sudah kami terima dengan kode %(code)s. Kami akan menjawab paling lambat "
                    "%(due)s. Simpan kode ini untuk menanyakan perkembangannya."
                )
                % {"code": complaint.tracking_code, "due": _local(complaint.due_at, office)},
            )
    return complaint


def _local(moment: datetime, office: Office) -> str:
    return timezone.localtime(moment, ZoneInfo(office.time_zone)).strftime("%d-%m-%Y %H.%M")


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("office", "contact").get(pk=complaint.pk)


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: User, assignee: User) -> Complaint:
    complaint = _locked(complaint)
    if actor.office_id != complaint.office_id or not actor.has_role(*HANDLER_ROLES):
        raise ComplaintError(_("Hanya petugas layanan, admin atau Kepala Dinas yang menugaskan."), code="forbidden")
    if assignee.office_id != complaint.office_id or not assignee.is_active or assignee.has_role(Role.VILLAGE_STAFF):
        raise ComplaintError(_("Pegawai itu tidak dapat ditugaskan."), code="bad_assignee")
    if not complaint.is_open:
        raise ComplaintError(_("Pengaduan sudah selesai."), code="closed")
    complaint.assigned_to = assignee
    if complaint.status == Complaint.Status.NEW:
        complaint.status = Complaint.Status.IN_PROGRESS
    complaint.save(update_fields=["assigned_to", "status"])
    _entry(complaint, ComplaintEntry.Kind.ASSIGN, actor, assignee.get_full_name() or assignee.username)
    return complaint


@transaction.atomic
def complaint_note_add(*, complaint: Complaint, actor: User, text: str) -> ComplaintEntry:
    """An internal note: never shown to the citizen."""
    _check_handler(complaint, actor)
    if not text.strip():
        raise ComplaintError(_("Catatan kosong."), code="text_required")
    return _entry(complaint, ComplaintEntry.Kind.NOTE, actor, text.strip())


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor: User, text: str) -> Complaint:
    """Answer the citizen (on WhatsApp when they have a contact) and ask them to confirm it is settled."""
    complaint = _locked(complaint)
    _check_handler(complaint, actor)
    if not complaint.is_open:
        raise ComplaintError(_("Pengaduan sudah selesai."), code="closed")
    text = text.strip()
    if not text:
        raise ComplaintError(_("Jawaban kosong."), code="text_required")
    now = timezone.now()
    complaint.status = Complaint.Status.ANSWERED
    complaint.answered_at = complaint.answered_at or now
    complaint.save(update_fields=["status", "answered_at"])
    _entry(complaint, ComplaintEntry.Kind.REPLY, actor, text)
    if complaint.contact is not None:
        with translation.override(complaint.contact.language or "id"):
            body = _("Jawaban atas pengaduan %(code)s:\n%(text)s\n\nApakah masalah Anda sudah selesai?") % {
                "code": complaint.tracking_code,
                "text": text,
            }
            buttons = [
                {"id": f"{CONFIRM_PREFIX}{complaint.pk}", "title": _("Ya, sudah selesai")},
                {"id": f"{REOPEN_PREFIX}{complaint.pk}", "title": _("Belum selesai")},
            ]
            _tell(complaint, body, buttons, sent_by=actor)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User | None, confirmed_via: str, note: str = "") -> Complaint:
    """Close once the citizen confirmed: on WhatsApp (actor None) or by telling the officer (confirmed_via counter)."""
    complaint = _locked(complaint)
    if actor is not None:
        _check_handler(complaint, actor)
    if not complaint.is_open:
        raise ComplaintError(_("Pengaduan sudah selesai."), code="closed")
    if confirmed_via not in ("whatsapp", "counter"):
        raise ComplaintError(_("Penutupan perlu konfirmasi pelapor."), code="confirmation_required")
    if complaint.answered_at is None:
        raise ComplaintError(_("Jawab pengaduan dulu sebelum menutupnya."), code="not_answered")
    complaint.status = Complaint.Status.CLOSED
    complaint.closed_at = timezone.now()
    complaint.confirmed_via = confirmed_via
    complaint.save(update_fields=["status", "closed_at", "confirmed_via"])
    _entry(complaint, ComplaintEntry.Kind.CLOSE, actor, note.strip())
    return complaint


def complaint_whatsapp_reply(*, contact: Contact, reply_id: str) -> str | None:
    """The citizen's tap on "Ya, sudah selesai" / "Belum selesai": acted on and answered (the text is queued and
    returned); None when the reply is not about a complaint."""
    match = re.fullmatch(r"adu:(ok|no):(\d+)", reply_id)
    if match is None:
        return None
    with transaction.atomic():
        text = _confirmation_handle(contact=contact, pk=int(match.group(2)), settled=match.group(1) == "ok")
        outbox_enqueue(contact=contact, kind="text", payload={"body": text})
    return text


def _confirmation_handle(*, contact: Contact, pk: int, settled: bool) -> str:
    complaint = Complaint.objects.filter(pk=pk, contact=contact).first()
    if complaint is None or not complaint.is_open:
        return _("Pengaduan ini sudah selesai. Terima kasih.")
    if settled:
        complaint_close(complaint=complaint, actor=None, confirmed_via="whatsapp")
        return _("Terima kasih, pengaduan %(code)s kami tutup.") % {"code": complaint.tracking_code}
    Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.IN_PROGRESS)
    _entry(complaint, ComplaintEntry.Kind.REOPEN, None, _("Pelapor menyatakan belum selesai."))
    return _("Baik, pengaduan %(code)s kami tindak lanjuti lagi.") % {"code": complaint.tracking_code}


def complaint_whatsapp_status(*, contact: Contact, code: str) -> str:
    """What the bot answers when a citizen asks about a complaint code (only their own complaints)."""
    complaint = Complaint.objects.filter(contact=contact, tracking_code=code.strip().upper()).first()
    if complaint is None:
        return _("Pengaduan dengan kode itu tidak ditemukan.")
    return _("Pengaduan %(code)s: %(status)s.") % {
        "code": complaint.tracking_code,
        "status": complaint.get_status_display(),
    }


def complaints_escalate(*, now: datetime | None = None) -> int:
    """Complaints still unanswered past their target go to the head of office (once each); returns how many."""
    now = now or timezone.now()
    late = Complaint.objects.filter(
        status__in=(Complaint.Status.NEW, Complaint.Status.IN_PROGRESS),
        answered_at__isnull=True,
        escalated_at__isnull=True,
        due_at__lt=now,
    ).select_related("office")
    count = 0
    for complaint in late:
        with transaction.atomic():
            if not Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue  # another worker took it
            heads = list(
                User.objects.filter(
                    office_id=complaint.office_id, is_active=True, role_grants__role=Role.SIGNER
                ).distinct()
            )
            names = ", ".join(h.get_full_name() or h.username for h in heads) or "-"
            _entry(
                complaint,
                ComplaintEntry.Kind.ESCALATE,
                None,
                _("Melewati batas waktu tanggapan; diteruskan ke Kepala Dinas (%(names)s).") % {"names": names},
            )
            emails = [h.email for h in heads if h.email]
            if emails:
                subject = _("Pengaduan %(code)s melewati batas waktu") % {"code": complaint.tracking_code}
                body = _("Pengaduan %(code)s (%(category)s) belum dijawab sejak %(created)s:\n\n%(text)s") % {
                    "code": complaint.tracking_code,
                    "category": complaint.get_category_display(),
                    "created": _local(complaint.created_at, complaint.office),
                    "text": complaint.text,
                }
                transaction.on_commit(lambda s=subject, b=body, e=emails: send_mail(s, b, None, e, fail_silently=True))
        count += 1
    return count
