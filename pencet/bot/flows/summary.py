"""The summary with Kirim permohonan / Ubah data / Batalkan, corrections of any item or file, and submission."""

from datetime import date

from django.utils import translation

from pencet.cases import drafts
from pencet.cases import services as cases
from pencet.cases.models import Application
from pencet.catalog.models import SUBJECT_DATE_FIELDS, SUBJECT_NIK_FIELDS, SUBJECT_SEX_FIELDS

from .. import replies, selectors
from ..conversation import Ctx, State
from ..engine import Accept, Next, step
from ..messages import common as mc
from ..messages import identity as mi
from ..messages import subject as ms
from ..messages import summary as m
from ..replies import choice
from . import cancel, files, fix
from .identity import (
    ELDERLY_AGE,
    delivery_fit,
    elderly_claim_age,
    email_asked,
    field_go,
    fields_for,
    late_days,
)


def _summary_ask(ctx: Ctx) -> Next:
    ctx.data.edit = False
    application = ctx.application
    application.refresh_from_db()
    delivery_fit(ctx)
    empty = m.not_filled()
    title = {name: str(label) for name, label in m.FIELD_TITLES.items()}
    lines = [
        (title["service"], application.service.name),
        (title["name"], application.applicant_name or empty),
        (title["nik"], application.nik or empty),
    ]
    if ctx.staff is not None:
        lines.append((title["phone"], application.phone or empty))
    lines += [(str(ms.TITLES[code]), _subject_value(application, code) or empty) for code in _subject(application)]
    village = application.village
    lines.append(
        (title["village"], f"{village.name}, Kec. {village.parent.name}" if village and village.parent else empty)
    )
    if email_asked(ctx) or application.email:
        lines.append((title["email"], application.email or empty))
    lines.append((title["delivery"], application.get_delivery_preference_display()))
    priority = [
        str(label)
        for flag, label in (
            (application.priority_elderly, mi.ROW_PRIO_ELDERLY),
            (application.priority_disability, mi.ROW_PRIO_DISABILITY),
        )
        if flag
    ]
    if application.priority_disability and application.disability_support:
        priority[-1] += f" ({application.get_disability_support_display()})"
    lines.append((title["priority"], ", ".join(priority) or str(mi.ROW_PRIO_NONE)))
    if application.service.legal_deadline_days:
        event_date = mc.format_date(application.event_date) if application.event_date else empty
        lines.append((title["event_date"], event_date))
    counts: dict[int, int] = {}
    for attachment in application.attachments.filter(is_current=True):
        counts[attachment.requirement_id] = counts.get(attachment.requirement_id, 0) + 1
    listed = []
    for slot in ctx.data.slots:
        requirements = selectors.slot_requirements(slot=slot)
        sent = [r for r in requirements if counts.get(r.pk)]
        if sent:
            listed.extend(f"{r.short_name}: {m.pages(counts[r.pk])}" for r in sent)
        else:
            listed.append(f"{' / '.join(r.short_name for r in requirements)}: {m.skipped()}")
    late = m.summary_late_line() if late_days(application) else ""
    replies.buttons(
        ctx,
        m.summary(lines=lines, files=listed, late=late),
        [("submit", m.BTN_SUBMIT), ("edit", m.BTN_EDIT), ("cancel", mc.BTN_CANCEL)],
        application=application,
    )
    return None


def _subject(application: Application) -> list[str]:
    return [code for code in application.service.subject_fields or [] if code in ms.TITLES]


def _subject_value(application: Application, code: str) -> str:
    value = (application.subject or {}).get(code, "")
    if value and code in SUBJECT_DATE_FIELDS:
        return mc.format_date(date.fromisoformat(value))
    if value and code in SUBJECT_SEX_FIELDS:
        return mi.sex_label(value)
    return value


def _title(field: str) -> str:
    if field.startswith("subject_"):
        return str(ms.TITLES[field.removeprefix("subject_")])
    return str(m.FIELD_TITLES[field])


def _summary_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "submit":
        return _submit(ctx)
    if picked == "edit":
        return State.EDIT_CHOOSE
    if picked == "cancel":
        return cancel.cancel_start(ctx, code="")
    return State.SUMMARY


def _submit(ctx: Ctx) -> Next:
    application = ctx.application
    missing = [f for f in ("applicant_name", "nik", "village") if not getattr(application, f)]
    if missing:
        return field_go(ctx, {"applicant_name": "name", "nik": "nik", "village": "village"}[missing[0]])
    unanswered = [c for c in _subject(application) if c not in SUBJECT_NIK_FIELDS and not application.subject.get(c)]
    if unanswered:
        return field_go(ctx, f"subject_{unanswered[0]}")
    age = elderly_claim_age(application)
    if age is not None:
        # A lansia claim the NIK contradicts does not put the application first; the officer may still grant it.
        drafts.application_details_change(
            application=application, actor=ctx.staff, actor_label=ctx.actor_label, priority_elderly=False
        )
    try:
        cases.application_submit(application=application, actor=ctx.staff, actor_label=ctx.actor_label)
    except cases.TransitionError as error:
        replies.text(ctx, mc.not_allowed(reason=error.message))
        return None
    if age is not None:
        # The officer decides; the timeline says why the claim needs a look.
        with translation.override("id"):
            note = mi.elderly_claim_note(age=age, elderly_age=ELDERLY_AGE)
        cases.application_note_add(application=application, actor=None, note=note, actor_label=mi.BOT_LABEL)
    return fix.reset(ctx)


def _edit_fields(ctx: Ctx) -> list[str]:
    # A village staff member with one village was never asked for it.
    single_village = ctx.staff is not None and ctx.staff.villages.count() <= 1
    return [f for f in fields_for(ctx) if not (f == "village" and single_village)]


def _edit_choose_ask(ctx: Ctx) -> Next:
    rows = [(f"edit:{f}", _title(f), "") for f in _edit_fields(ctx)]
    rows.append(("edit:files", str(m.FIELD_TITLES["files"]), ""))
    replies.rows_list(ctx, m.ask_edit(), rows)
    return None


def _edit_choose_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "edit:files":
        return State.EDIT_FILE
    if picked.startswith("edit:") and picked[5:] in fields_for(ctx):
        ctx.data.edit = True
        return field_go(ctx, picked[5:])
    return State.SUMMARY


def _edit_file_ask(ctx: Ctx) -> Next:
    rows = []
    for index, slot in enumerate(ctx.data.slots):
        names = [r.short_name for r in selectors.slot_requirements(slot=slot)]
        rows.append((f"eslot:{index}", " / ".join(names), ""))
    replies.rows_list(ctx, m.ask_edit_file(), rows)
    return None


def _edit_file_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked.startswith("eslot:") and int(picked[6:]) < len(ctx.data.slots):
        return files.slot_files_remove(ctx, ctx.application, int(picked[6:]))
    return State.SUMMARY


CHOSEN = {Accept.CHOICE}
SUMMARY = step(State.SUMMARY, ask=_summary_ask, answer=_summary_answer, accepts=CHOSEN)
EDIT_CHOOSE = step(State.EDIT_CHOOSE, ask=_edit_choose_ask, answer=_edit_choose_answer, accepts=CHOSEN)
EDIT_FILE = step(State.EDIT_FILE, ask=_edit_file_ask, answer=_edit_file_answer, accepts=CHOSEN)
