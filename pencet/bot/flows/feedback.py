"""The satisfaction survey and complaints (pengaduan) on WhatsApp. pencet.surveys holds the questionnaire, the
responses and the complaint records; this flow hands it the messages that belong to it and asks what a complaint
needs: its text and, when the citizen has applications, which one it is about."""

from pencet.cases.models import Application
from pencet.surveys.complaints import (
    ComplaintError,
    complaint_file,
    complaint_whatsapp_reply,
    complaint_whatsapp_status,
)
from pencet.surveys.models import ComplaintCategory, ComplaintChannel
from pencet.surveys.services import survey_whatsapp_answer

from .. import matching, replies, selectors
from ..commands import Command, command_parse
from ..conversation import Ctx, State
from ..engine import Accept, Next, Quiet, before, command, current, is_busy, reask_if_busy, step
from ..messages import common as mc
from ..messages import complaint as m
from ..replies import choice, typed

# A complaint's category guessed from its words; officers can change it in the console.
CATEGORY_WORDS = {
    ComplaintCategory.FEES: ("biaya", "bayar", "pungli", "pungutan", "uang", "tarif", "rp"),
    ComplaintCategory.STAFF: ("petugas", "pegawai", "sikap", "kasar", "ramah", "judes", "sopan", "operator"),
    ComplaintCategory.TIME: ("lama", "lambat", "antre", "antri", "antrian", "antrean", "tunggu", "menunggu"),
    ComplaintCategory.REQUIREMENTS: ("syarat", "persyaratan", "berkas", "dokumen"),
    ComplaintCategory.DATA: ("salah ketik", "data", "nama salah", "nik"),
    ComplaintCategory.FACILITIES: ("ruang", "tempat", "parkir", "toilet", "kursi", "ac", "panas", "sarana"),
    ComplaintCategory.PROCEDURE: ("prosedur", "alur", "mekanisme", "ribet", "rumit", "berbelit"),
}
RECENT_APPLICATIONS = 5


@before
def _survey_or_complaint_reply(ctx: Ctx) -> bool:
    """Taps on the survey or on a complaint's confirmation, and typed survey answers when the citizen is not
    answering a question of ours (typing a name, at an application step)."""
    message = ctx.message
    reply_id = message.reply_id if message.type in replies.REPLY_TYPES else ""
    if reply_id.startswith("adu:"):
        return complaint_whatsapp_reply(contact=ctx.contact, reply_id=reply_id) is not None
    if reply_id.startswith("svy:"):
        return survey_whatsapp_answer(contact=ctx.contact, reply_id=reply_id) is not None
    if message.type != "text" or not message.text.strip():
        return False
    here = current(ctx)
    if is_busy(ctx.state) or Accept.TEXT in here.accepts or command_parse(text=message.text, fuzzy=False):
        return False
    return survey_whatsapp_answer(contact=ctx.contact, text=message.text) is not None


def _category(text: str, *, suggestion: bool) -> str:
    clean = " " + " ".join(matching.words(text)) + " "
    for category, words in CATEGORY_WORDS.items():
        if any(f" {w} " in clean for w in words):
            return category
    return ComplaintCategory.SUGGESTION if suggestion else ComplaintCategory.OTHER


@command("complaint")
def _complaint_command(ctx: Ctx, parsed: Command) -> Next:
    if ctx.state not in (State.COMPLAINT_TEXT, State.COMPLAINT_APP):
        ctx.data.complaint_return = ctx.state
    ctx.data.complaint_category = ComplaintCategory.SUGGESTION if _is_suggestion(ctx) else ""
    if parsed.text:
        return _text_take(ctx, parsed.text)
    return State.COMPLAINT_TEXT


def _is_suggestion(ctx: Ctx) -> bool:
    said = matching.words(ctx.message.text if ctx.message is not None else "")
    return bool(said) and said[0] in ("saran", "kritik")


@command("complaint_status")
def _complaint_status_command(ctx: Ctx, parsed: Command) -> Next:
    replies.text(ctx, complaint_whatsapp_status(contact=ctx.contact, code=parsed.code))
    return reask_if_busy(ctx)


def _text_ask(ctx: Ctx) -> Next:
    replies.buttons(ctx, m.ask_complaint(), [("adu_cancel", m.BTN_NOT_NOW)])
    return None


def _text_answer(ctx: Ctx) -> Next:
    if choice(ctx) == "adu_cancel":
        replies.text(ctx, m.complaint_dropped())
        return _back(ctx)
    text = typed(ctx)
    if len(text) < 5:
        replies.text(ctx, m.complaint_too_short())
        return None
    return _text_take(ctx, text)


def _text_take(ctx: Ctx, text: str) -> Next:
    ctx.data.complaint_text = text[:4000]
    if not ctx.data.complaint_category:
        ctx.data.complaint_category = _category(text, suggestion=False)
    if _recent(ctx):
        return State.COMPLAINT_APP
    return _file(ctx, application=None)


def _recent(ctx: Ctx) -> list[Application]:
    mine = selectors.applications_of(contact=ctx.contact, office=ctx.office, staff=ctx.staff)
    return list(mine.exclude(status="draft").order_by("-created_at")[:RECENT_APPLICATIONS])


def _app_ask(ctx: Ctx) -> Next:
    rows = [
        (f"aduapp:{a.pk}", a.tracking_code, f"{a.service.short_name} – {a.get_status_display()}") for a in _recent(ctx)
    ]
    rows.append(("aduapp:none", str(m.ROW_NO_APPLICATION), ""))
    replies.rows_list(ctx, m.ask_complaint_application(), rows)
    return None


def _app_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "aduapp:none":
        return _file(ctx, application=None)
    application = next((a for a in _recent(ctx) if f"aduapp:{a.pk}" == picked), None)
    if application is None:
        return State.COMPLAINT_APP
    return _file(ctx, application=application)


def _file(ctx: Ctx, *, application: Application | None) -> Next:
    """complaint_file sends the acknowledgement with the tracking code itself."""
    try:
        complaint_file(
            office=ctx.office,
            contact=ctx.contact,
            text=ctx.data.complaint_text,
            category=ctx.data.complaint_category or ComplaintCategory.OTHER,
            application=application,
            channel=ComplaintChannel.WHATSAPP,
            citizen_name=(application.applicant_name if application else "") or ctx.contact.profile_name,
        )
    except ComplaintError as error:
        replies.text(ctx, mc.not_allowed(reason=error.message))
    return _back(ctx)


def _back(ctx: Ctx) -> Next:
    target = State.parse(ctx.data.complaint_return)
    ctx.data.complaint_text = ctx.data.complaint_category = ctx.data.complaint_return = ""
    return target if is_busy(target) else Quiet(target)


COMPLAINT_TEXT = step(
    State.COMPLAINT_TEXT, ask=_text_ask, answer=_text_answer, accepts={Accept.TEXT, Accept.CHOICE}, busy=False
)
COMPLAINT_APP = step(State.COMPLAINT_APP, ask=_app_ask, answer=_app_answer, accepts={Accept.CHOICE}, busy=False)
