"""Survey periods, responses (kiosk, paper, API) and the WhatsApp survey conversation the bot hands over to.

The bot calls, for every inbound message of a contact, `survey_whatsapp_answer(contact=…, reply_id=…, text=…)`
first: it answers None when the message is not part of a survey (the bot then goes on as usual) or the list of
messages it queued. `survey_invitation_send` is called by the event subscriber (subscribers.survey_invite).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.catalog.models import MessageTemplate, Service
from pencet.lib.ikm import ELEMENT_COUNT, SCORE_MAX, SCORE_MIN
from pencet.whatsapp.client import MAX_BUTTON_TITLE, MAX_ROW_TITLE
from pencet.whatsapp.models import Contact, InboundMessage
from pencet.whatsapp.services import outbox_enqueue

from . import seed_data
from .models import (
    AgeGroup,
    Sex,
    SurveyAnswer,
    SurveyChannel,
    SurveyInvitation,
    SurveyPeriod,
    SurveyQuestion,
    SurveyResponse,
    age_group_for,
)

# An invitation not taken up (or a conversation left) for this long is no longer followed.
SURVEY_WHATSAPP_DAYS = 7
STOP_WORDS = {"stop", "berhenti"}
YES_WORDS = {"ya", "iya", "mau", "bersedia", "ok", "oke", "survei", "survey", "isi survei", "ya, isi survei"}
NO_WORDS = {"tidak", "tidak mau", "nggak", "gak", "tidak, terima kasih", "nanti"}
PROFILE_STEPS = ("sex", "age", "education", "occupation")
STEPS = (*PROFILE_STEPS, *(f"u{n}" for n in range(1, ELEMENT_COUNT + 1)), "suggestion")
SUGGESTION_MAX = 2000


class SurveyError(Exception):
    """Refused input; `code` is stable (API error code), the message is safe to show."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Outgoing:
    kind: str  # "text" | "buttons" | "list", the outbox's kinds
    payload: dict


# --- periods ---------------------------------------------------------------------------------------------------


@transaction.atomic
def survey_period_create(*, office: Office, name: str, starts_on: date, ends_on: date) -> SurveyPeriod:
    """A new period with the regulation's questionnaire (from the office's latest period when it has one)."""
    if ends_on < starts_on:
        raise SurveyError(_("Tanggal selesai sebelum tanggal mulai."), code="invalid_period")
    previous = SurveyPeriod.objects.filter(office=office).order_by("-starts_on").first()
    period = SurveyPeriod.objects.create(
        office=office,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        intro=previous.intro if previous else seed_data.INTRO,
        education_options=list(previous.education_options if previous else seed_data.EDUCATION_OPTIONS),
        occupation_options=list(previous.occupation_options if previous else seed_data.OCCUPATION_OPTIONS),
    )
    if previous is not None and previous.questions.count() == ELEMENT_COUNT:
        for question in previous.questions.all():
            question.pk = None
            question.period = period
            question.save()
    else:
        for element, name_, text, options, shorts, keywords in seed_data.QUESTIONS:
            SurveyQuestion.objects.create(
                period=period,
                element=element,
                name=name_,
                text=text,
                keywords=keywords,
                **{f"option_{i + 1}": options[i] for i in range(4)},
                **{f"short_{i + 1}": shorts[i] for i in range(4)},
            )
    return period


def survey_period_for(*, office: Office, on: date) -> SurveyPeriod:
    """The office's period covering `on`; a calendar-year period is opened when none does (SKM at least yearly)."""
    period = (
        SurveyPeriod.objects.filter(office=office, starts_on__lte=on, ends_on__gte=on).order_by("-starts_on").first()
    )
    if period is not None:
        return period
    return survey_period_create(
        office=office,
        name=_("SKM %(year)s") % {"year": on.year},
        starts_on=date(on.year, 1, 1),
        ends_on=date(on.year, 12, 31),
    )


def survey_period_follow_up_set(*, period: SurveyPeriod, actor: User, plan: str) -> SurveyPeriod:
    period.follow_up_plan = plan.strip()
    period.follow_up_by = actor
    period.follow_up_at = timezone.now()
    period.save(update_fields=["follow_up_plan", "follow_up_by", "follow_up_at"])
    return period


def survey_period_publish(*, period: SurveyPeriod, result: dict) -> SurveyPeriod:
    """Freeze the figures shown on the public page (the caller passes selectors.ikm_public_summary)."""
    period.published_at = timezone.now()
    period.published_result = result
    period.save(update_fields=["published_at", "published_result"])
    return period


# --- responses -------------------------------------------------------------------------------------------------


def _scores_check(scores: object) -> list[int | None]:
    if not isinstance(scores, list | tuple) or len(scores) != ELEMENT_COUNT:
        count = len(scores) if isinstance(scores, list | tuple) else 0
        raise SurveyError(
            _("Nilai harus tepat %(n)s angka (satu per unsur), diterima %(got)s.") % {"n": ELEMENT_COUNT, "got": count},
            code="wrong_score_count",
        )
    checked: list[int | None] = []
    for element, score in enumerate(scores, start=1):
        if score is None:
            checked.append(None)
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
            raise SurveyError(
                _("Nilai unsur %(element)s harus 1–4 atau kosong, diterima %(score)s.")
                % {"element": element, "score": score},
                code="invalid_score",
            )
        checked.append(score)
    if all(s is None for s in checked):
        raise SurveyError(_("Belum ada unsur yang dinilai."), code="no_scores")
    return checked


@transaction.atomic
def survey_response_create(
    *,
    office: Office,
    channel: str,
    service: Service,
    on: date,
    scores: list[int | None],
    sex: str = "",
    age: int | None = None,
    age_group: str = "",
    education: str = "",
    occupation: str = "",
    suggestion: str = "",
    form_number: str = "",
    entered_by: User | None = None,
) -> SurveyResponse:
    """Store one questionnaire, whatever the channel; the same checks for kiosk, paper, API and WhatsApp."""
    if channel not in SurveyChannel.values:
        raise SurveyError(_("Kanal survei tidak dikenal."), code="invalid_channel")
    checked = _scores_check(scores)
    if on > timezone.localdate() + timedelta(days=1):
        raise SurveyError(_("Tanggal survei tidak boleh di masa depan."), code="invalid_date")
    if sex not in ("", *Sex.values):
        raise SurveyError(_("Jenis kelamin harus L atau P."), code="invalid_sex")
    if age is not None and (isinstance(age, bool) or not 10 <= age <= 120):
        raise SurveyError(_("Umur harus 10–120 tahun."), code="invalid_age")
    if age_group and age_group not in AgeGroup.values:
        raise SurveyError(_("Kelompok umur tidak dikenal."), code="invalid_age")
    form_number = form_number.strip() if channel == SurveyChannel.PAPER else ""
    if channel == SurveyChannel.PAPER and not form_number:
        raise SurveyError(_("Isi nomor formulir kuesioner kertas."), code="form_number_required")
    if form_number and SurveyResponse.objects.filter(office=office, form_number=form_number).exists():
        raise SurveyError(
            _("Formulir nomor %(number)s sudah pernah dimasukkan.") % {"number": form_number},
            code="duplicate_form_number",
        )
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                office=office,
                period=survey_period_for(office=office, on=on),
                service=service,
                channel=channel,
                date=on,
                sex=sex,
                age=age,
                age_group=age_group or (age_group_for(age) if age is not None else ""),
                education=education.strip()[:60],
                occupation=occupation.strip()[:60],
                suggestion=suggestion.strip()[:SUGGESTION_MAX],
                form_number=form_number,
                entered_by=entered_by,
            )
    except IntegrityError as exc:  # two officers typing the same form at once
        raise SurveyError(
            _("Formulir nomor %(number)s sudah pernah dimasukkan.") % {"number": form_number},
            code="duplicate_form_number",
        ) from exc
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(response=response, element=element, score=score)
            for element, score in enumerate(checked, start=1)
            if score is not None
        ]
    )
    return response


# --- WhatsApp --------------------------------------------------------------------------------------------------


def _send(contact: Contact, outgoing: list[Outgoing], **extra: object) -> list[Outgoing]:
    for item in outgoing:
        outbox_enqueue(contact=contact, kind=item.kind, payload=item.payload, **extra)
    return outgoing


def _reply_id(invitation: SurveyInvitation, step: str, value: str) -> str:
    return f"svy:{invitation.pk}:{step}:{value}"


def _footer() -> str:
    return _("Ketik BERHENTI untuk berhenti.")


def _invitation_message(invitation: SurveyInvitation) -> Outgoing:
    application = invitation.application
    body = _(
        "Halo %(name)s, terima kasih telah menggunakan layanan %(office)s (permohonan %(code)s). "
        "Maukah Anda mengisi survei kepuasan singkat? Cukup ketuk jawaban; jawaban Anda tidak dikaitkan dengan "
        "nama atau nomor Anda."
    ) % {"name": application.applicant_name or "-", "office": invitation.office.name, "code": application.tracking_code}
    buttons = [
        {"id": _reply_id(invitation, "start", "yes"), "title": _("Ya, isi survei")[:MAX_BUTTON_TITLE]},
        {"id": _reply_id(invitation, "start", "no"), "title": _("Tidak, terima kasih")[:MAX_BUTTON_TITLE]},
    ]
    return Outgoing("buttons", {"body": body, "buttons": buttons})


def survey_invitation_send(*, invitation: SurveyInvitation) -> list[Outgoing]:
    """The opt-in question; outside the 24-hour window the outbox sends the approved survey_invitation template."""
    application = invitation.application
    with translation.override(invitation.contact.language or "id"):
        return _send(
            invitation.contact,
            [_invitation_message(invitation)],
            application=application,
            template_event=MessageTemplate.Event.SURVEY_INVITATION,
            template_params=[application.applicant_name or "-", application.tracking_code],
        )


def survey_invitation_create(*, application: object, contact: Contact, on: date) -> SurveyInvitation | None:
    """The application's one invitation, or None when it already has one (never a second invitation)."""
    if SurveyInvitation.objects.filter(application=application).exists():
        return None
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                office_id=application.office_id,
                application=application,
                contact=contact,
                service_id=application.service_id,
                service_date=on,
            )
    except IntegrityError:  # the same event handled twice at once
        return None


def _question(invitation: SurveyInvitation, period: SurveyPeriod, step: str) -> Outgoing:
    number = STEPS.index(step) + 1
    total = len(STEPS) - 1
    footer = _footer()
    if step == "sex":
        body = _("(%(n)s/%(total)s) Jenis kelamin Anda?") % {"n": number, "total": total}
        buttons = [{"id": _reply_id(invitation, step, s.value), "title": str(s.label)} for s in Sex]
        return Outgoing("buttons", {"body": body, "buttons": buttons, "footer": footer})
    if step == "suggestion":
        body = _(
            "Terakhir: apa saran Anda untuk perbaikan pelayanan kami? Ketik saran Anda, atau ketuk tombol di bawah."
        )
        buttons = [{"id": _reply_id(invitation, step, "none"), "title": _("Tidak ada saran")}]
        return Outgoing("buttons", {"body": body, "buttons": buttons, "footer": footer})
    if step == "age":
        body = _("(%(n)s/%(total)s) Berapa umur Anda?") % {"n": number, "total": total}
        rows = [{"id": _reply_id(invitation, step, g.value), "title": str(g.label)} for g in AgeGroup]
    elif step in ("education", "occupation"):
        if step == "education":
            body = _("(%(n)s/%(total)s) Pendidikan terakhir Anda?") % {"n": number, "total": total}
            options = period.education_options
        else:
            body = _("(%(n)s/%(total)s) Pekerjaan Anda?") % {"n": number, "total": total}
            options = period.occupation_options
        rows = [
            {"id": _reply_id(invitation, step, str(i)), "title": str(o)[:MAX_ROW_TITLE]}
            for i, o in enumerate(options[:10])
        ]
    else:
        question = period.questions.get(element=int(step[1:]))
        body = f"({number}/{total}) {question.text}"
        rows = []
        for score, full, short in question.options():
            row = {"id": _reply_id(invitation, step, str(score)), "title": short[:MAX_ROW_TITLE]}
            if full != short:
                row["description"] = full
            rows.append(row)
    payload = {"body": body, "button": _("Pilih jawaban"), "sections": [{"rows": rows}], "footer": footer}
    return Outgoing("list", payload)


def _period(invitation: SurveyInvitation) -> SurveyPeriod:
    return survey_period_for(office=invitation.office, on=invitation.service_date)


def survey_whatsapp_active(*, contact: Contact) -> SurveyInvitation | None:
    """The contact's invitation still waiting for an answer or a conversation still running."""
    since = timezone.now() - timedelta(days=SURVEY_WHATSAPP_DAYS)
    states = (SurveyInvitation.State.INVITED, SurveyInvitation.State.IN_PROGRESS)
    qs = SurveyInvitation.objects.filter(contact=contact, state__in=states, updated_at__gte=since)
    return qs.select_related("office", "application").order_by("-updated_at", "-pk").first()


def survey_whatsapp_start(*, invitation: SurveyInvitation) -> list[Outgoing]:
    """The citizen said yes: the first question (resumes at the current one when already running)."""
    with transaction.atomic(), translation.override(invitation.contact.language or "id"):
        return _start(invitation)


def _start(invitation: SurveyInvitation) -> list[Outgoing]:
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != SurveyInvitation.State.IN_PROGRESS:
        invitation.state = SurveyInvitation.State.IN_PROGRESS
        invitation.step = STEPS[0]
        invitation.answers = {}
        invitation.save(update_fields=["state", "step", "answers", "updated_at"])
    return _send(invitation.contact, [_question(invitation, _period(invitation), invitation.step)])


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower()).strip(" .!")


def _step_value(invitation: SurveyInvitation, period: SurveyPeriod, step: str, reply_value: str, text: str) -> object:
    """The answer to `step` from a tapped row (reply_value) or typed text; None when it is not an answer."""
    typed = _normal(text)
    if step == "sex":
        value = reply_value or {"laki-laki": "L", "laki laki": "L", "l": "L", "perempuan": "P", "p": "P"}.get(typed, "")
        return value if value in Sex.values else None
    if step == "age":
        if reply_value in AgeGroup.values:
            return {"age_group": reply_value}
        if typed.isdigit() and 10 <= int(typed) <= 120:
            return {"age": int(typed), "age_group": age_group_for(int(typed))}
        return None
    if step in ("education", "occupation"):
        options = [str(o) for o in (period.education_options if step == "education" else period.occupation_options)]
        if reply_value.isdigit() and int(reply_value) < len(options):
            return options[int(reply_value)]
        matches = [o for o in options if _normal(o) == typed]
        return matches[0] if matches else None
    if step == "suggestion":
        if reply_value == "none":
            return ""
        return text.strip()[:SUGGESTION_MAX] if text.strip() else None
    question = period.questions.get(element=int(step[1:]))
    if reply_value.isdigit() and SCORE_MIN <= int(reply_value) <= SCORE_MAX:
        return int(reply_value)
    for score, full, short in question.options():
        if typed in (_normal(full), _normal(short)):
            return score
    return None


def _finish(invitation: SurveyInvitation, period: SurveyPeriod) -> list[Outgoing]:
    answers = invitation.answers
    survey_response_create(
        office=invitation.office,
        channel=SurveyChannel.WHATSAPP,
        service=invitation.service,
        on=invitation.service_date,
        scores=[answers.get(f"u{n}") for n in range(1, ELEMENT_COUNT + 1)],
        sex=answers.get("sex", ""),
        age=(answers.get("age") or {}).get("age"),
        age_group=(answers.get("age") or {}).get("age_group", ""),
        education=answers.get("education", ""),
        occupation=answers.get("occupation", ""),
        suggestion=answers.get("suggestion", ""),
    )
    _conversation_scrub(invitation=invitation)
    invitation.state = SurveyInvitation.State.COMPLETED
    invitation.step = ""
    invitation.answers = {}
    invitation.save(update_fields=["state", "step", "answers", "updated_at"])
    body = _(
        "Terima kasih! Jawaban survei Anda sudah kami terima dan akan dipakai untuk memperbaiki pelayanan. "
        "Ada keluhan yang perlu ditindaklanjuti? Ketik PENGADUAN."
    )
    return [Outgoing("text", {"body": body})]


def _conversation_scrub(*, invitation: SurveyInvitation) -> None:
    """Blank the citizen's own answer messages, so the chat history cannot tie the stored response to them."""
    prefix = f"svy:{invitation.pk}:"
    texts = [invitation.answers.get("suggestion", "")]
    age = (invitation.answers.get("age") or {}).get("age")
    if age is not None:
        texts.append(str(age))
    mine = InboundMessage.objects.filter(contact_id=invitation.contact_id, received_at__gte=invitation.created_at)
    mine.filter(reply_id__startswith=prefix).update(text="", reply_id="svy", payload={})
    for text in texts:
        if text:
            # The message that carried this answer, give or take surrounding spaces; never a longer message.
            same = mine.filter(reply_id="", text__contains=text).annotate(n=Length("text")).filter(n__lte=len(text) + 4)
            InboundMessage.objects.filter(pk__in=list(same.values_list("pk", flat=True))).update(text="", payload={})


def survey_whatsapp_answer(*, contact: Contact, reply_id: str = "", text: str = "") -> list[Outgoing] | None:
    """Handle one inbound message for the contact's survey: the next question, a thank-you, or None (not ours).

    Resumable: a message that is no answer (or a tap on an earlier question) asks the current question again;
    "stop"/"berhenti" ends it and nothing is kept. In the contact's language (Contact.language).
    """
    with transaction.atomic(), translation.override(contact.language or "id"):
        return _answer(contact=contact, reply_id=reply_id, text=text)


def _answer(*, contact: Contact, reply_id: str, text: str) -> list[Outgoing] | None:
    invitation = survey_whatsapp_active(contact=contact)
    ours = reply_id.startswith("svy:")
    if invitation is None:
        if ours:
            return _send(contact, [Outgoing("text", {"body": _("Survei ini sudah ditutup. Terima kasih.")})])
        return None
    invitation = (
        SurveyInvitation.objects.select_for_update().select_related("office", "application").get(pk=invitation.pk)
    )
    parts = reply_id.split(":", 3) if ours else []
    tapped_step, value = (parts[2], parts[3]) if len(parts) == 4 and parts[1] == str(invitation.pk) else ("", "")
    typed = _normal(text)
    if typed in STOP_WORDS:
        invitation.state = SurveyInvitation.State.STOPPED
        invitation.step, invitation.answers = "", {}
        invitation.save(update_fields=["state", "step", "answers", "updated_at"])
        body = _("Baik, survei dihentikan dan jawaban Anda tidak disimpan. Terima kasih atas waktu Anda.")
        return _send(contact, [Outgoing("text", {"body": body})])
    if invitation.state == SurveyInvitation.State.INVITED:
        if (tapped_step == "start" and value == "yes") or (not ours and typed in YES_WORDS):
            return _start(invitation)
        if (tapped_step == "start" and value == "no") or (not ours and typed in NO_WORDS):
            invitation.state = SurveyInvitation.State.DECLINED
            invitation.save(update_fields=["state", "updated_at"])
            body = _("Baik, terima kasih. Semoga layanan kami bermanfaat.")
            return _send(contact, [Outgoing("text", {"body": body})])
        return _send(contact, [_invitation_message(invitation)]) if ours else None
    period = _period(invitation)
    step = invitation.step
    answer = None
    if tapped_step == step or not ours:
        answer = _step_value(invitation, period, step, value if tapped_step == step else "", "" if ours else text)
    if answer is None:
        # A stale tap or a word that is no answer: ask the current question again (this is how it resumes).
        hint = Outgoing("text", {"body": _("Mohon pilih salah satu jawaban di bawah ini.")})
        return _send(contact, [hint, _question(invitation, period, step)])
    invitation.answers = {**invitation.answers, step: answer}
    following = STEPS.index(step) + 1
    if following == len(STEPS):
        return _send(contact, _finish(invitation, period))
    invitation.step = STEPS[following]
    invitation.save(update_fields=["step", "answers", "updated_at"])
    return _send(contact, [_question(invitation, period, invitation.step)])
