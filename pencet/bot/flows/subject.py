"""The data about the person the document is for (the child, the deceased), one step per field the service's
catalogue entry lists in `subject_fields`, asked after the applicant's identity. Answers go to
Application.subject; the date a legal deadline counts from also fills event_date."""

import re

from django.utils import timezone

from pencet.catalog.models import SUBJECT_DATE_FIELDS, SUBJECT_EVENT_DATE_FIELDS, SUBJECT_NIK_FIELDS, SubjectField
from pencet.lib.nik import nik_parse
from pencet.regions.selectors import region_names

from .. import replies
from ..conversation import Ctx, State
from ..dates import date_parse
from ..engine import Accept, Next, step
from ..messages import identity as mi
from ..messages import subject as m
from ..replies import choice, typed
from .identity import details_save, field_next, late_days

SEX = {"sex:L": "L", "sex:P": "P"}
UNKNOWN = "subject:unknown"


def state_of(code: str) -> State:
    return State(f"subject_{code}")


def _save(ctx: Ctx, code: str, value: object) -> Next:
    changes: dict = {"subject": {code: value}}
    if code in SUBJECT_EVENT_DATE_FIELDS and ctx.application.service.legal_deadline_days:
        changes["event_date"] = value
    details_save(ctx, **changes)
    if "event_date" in changes and late_days(ctx.application):
        return State.LATE_NOTICE
    return field_next(ctx, state_of(code).value)


def _asker(code: str):  # noqa: ANN202 - a closure per field
    def ask(ctx: Ctx) -> Next:
        question = str(m.QUESTIONS[code])
        if code == SubjectField.CHILD_SEX:
            options = [("sex:L", m.BTN_MALE), ("sex:P", m.BTN_FEMALE)]
            replies.buttons(ctx, question, options, application=ctx.application)
        elif code in SUBJECT_NIK_FIELDS:
            replies.buttons(ctx, question, [(UNKNOWN, m.BTN_UNKNOWN)], application=ctx.application)
        else:
            replies.text(ctx, question, application=ctx.application)
        return None

    return ask


def _answerer(code: str):  # noqa: ANN202 - a closure per field
    def answer(ctx: Ctx) -> Next:
        if code == SubjectField.CHILD_SEX:
            picked = choice(ctx)
            if picked not in SEX:
                replies.text(ctx, m.invalid_sex())
                return None
            return _save(ctx, code, SEX[picked])
        if code in SUBJECT_NIK_FIELDS:
            if choice(ctx, loose=False) == UNKNOWN:
                return _save(ctx, code, "")
            check = nik_parse(value=typed(ctx), region_names=region_names)
            if not check.valid:
                replies.text(ctx, m.invalid_nik())
                return None
            return _save(ctx, code, check.nik)
        text = re.sub(r"\s+", " ", typed(ctx))
        if code in SUBJECT_DATE_FIELDS:
            value = date_parse(text, today=timezone.localdate())
            if value is None:
                replies.text(ctx, mi.invalid_date())
                return None
            return _save(ctx, code, value)
        if len(text) < 2 or len(text) > 150 or not re.search(r"[^\W\d_]", text) or re.search(r"\d{3,}", text):
            replies.text(ctx, m.invalid_place() if code.endswith("_place") else mi.invalid_name())
            return None
        return _save(ctx, code, text)

    return answer


def _accepts(code: str) -> set[Accept]:
    if code == SubjectField.CHILD_SEX:
        return {Accept.CHOICE}
    if code in SUBJECT_NIK_FIELDS:
        return {Accept.TEXT, Accept.CHOICE}
    return {Accept.TEXT}


STEPS = {
    code: step(state_of(code), ask=_asker(code), answer=_answerer(code), accepts=_accepts(code))
    for code in SubjectField.values
}
