"""Identity and preferences, asked in FIELDS order after the files: name, NIK (confirmed), phone (village staff),
village (pencet.bot.flows.village), e-mail, delivery, priority and, for services with a legal deadline, the
event date with a notice when the deadline has passed."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from pencet.cases import drafts
from pencet.cases.models import Application, DeliveryPreference, DisabilitySupport
from pencet.catalog.models import SUBJECT_EVENT_DATE_FIELDS
from pencet.lib.nik import nik_parse
from pencet.lib.phone import phone_normalize
from pencet.regions.selectors import region_names

from .. import matching, replies
from ..commands import normalize
from ..conversation import Ctx, State
from ..dates import date_parse
from ..engine import Accept, Next, Quiet, step
from ..messages import common as mc
from ..messages import identity as m
from ..replies import choice, typed
from . import cancel


def fields_for(ctx: Ctx, *, every: bool = False) -> list[str]:
    """The fields asked, in order; each is also the state that asks it. `every`: also those the service does not
    ask now (e-mail, delivery), for a conversation waiting at one of them when the catalogue changed."""
    names = ["name", "nik"]
    if ctx.staff is not None:
        names.append("phone")
    service = ctx.application.service if ctx.application is not None else None
    subject = list(service.subject_fields or []) if service is not None else []
    # The child's or the deceased's data (pencet.bot.flows.subject), right after the applicant's own.
    names += [f"subject_{code}" for code in subject]
    names.append("village")
    if every or email_asked(ctx):
        names.append("email")
    if every or len(delivery_modes(ctx)) > 1:
        names.append("delivery")
    names.append("priority")
    if service is not None and service.legal_deadline_days and not set(subject) & set(SUBJECT_EVENT_DATE_FIELDS):
        names.append("event_date")
    return names


def event_field(ctx: Ctx) -> str:
    """The field that asks the date the legal deadline counts from: a subject date or event_date."""
    subject = ctx.application.service.subject_fields or []
    return next((f"subject_{code}" for code in subject if code in SUBJECT_EVENT_DATE_FIELDS), "event_date")


def email_asked(ctx: Ctx) -> bool:
    """The address is asked only where the document can travel by e-mail: for a card (KTP-el, KIA) the question
    would promise a PDF that never comes, and the address serves nothing else."""
    if ctx.application is None:
        return True
    return DeliveryPreference.EMAIL in (ctx.application.service.delivery_modes or [])


def delivery_modes(ctx: Ctx) -> list[str]:
    """The delivery modes the service offers (a card is only picked up); e-mail only once there is an address."""
    if ctx.application is None:
        return list(DELIVERY.values())
    modes = [mode for mode in DELIVERY.values() if mode in (ctx.application.service.delivery_modes or [])]
    if not ctx.application.email and len(modes) > 1:
        modes = [mode for mode in modes if mode != DeliveryPreference.EMAIL] or modes
    return modes or [DeliveryPreference.PICKUP]


def delivery_fit(ctx: Ctx) -> None:
    """Keep the delivery preference among the service's modes (the question is skipped when there is one)."""
    modes = delivery_modes(ctx)
    if ctx.application.delivery_preference not in modes:
        details_save(ctx, delivery_preference=modes[-1] if DeliveryPreference.PICKUP in modes else modes[0])


def field_go(ctx: Ctx, name: str) -> State:
    if name == "village":
        # Choosing the village starts again from the district list.
        ctx.data.district, ctx.data.page, ctx.data.village_matches = "", 0, []
    return State(name)


def field_next(ctx: Ctx, current: str) -> State:
    names = fields_for(ctx)
    if ctx.data.edit:
        return State.SUMMARY
    order = fields_for(ctx, every=True)
    later = order[order.index(current) + 1 :] if current in order else []
    following = next((name for name in later if name in names), None)
    return State.SUMMARY if following is None else field_go(ctx, following)


def details_save(ctx: Ctx, **changes: object) -> None:
    drafts.application_details_change(
        application=ctx.application, actor=ctx.staff, actor_label=ctx.actor_label, **changes
    )


def late_days(application: Application) -> int:
    service = application.service
    if not service.legal_deadline_days or application.event_date is None:
        return 0
    return max(0, (timezone.localdate() - application.event_date).days - service.legal_deadline_days)


# --- Name, NIK, phone -----------------------------------------------------------------------------------


def _name_ask(ctx: Ctx) -> Next:
    replies.text(ctx, m.ask_name(for_other=ctx.staff is not None), application=ctx.application)
    return None


def _name_answer(ctx: Ctx) -> Next:
    name = re.sub(r"\s+", " ", typed(ctx))
    if len(name) < 2 or len(name) > 150 or not re.search(r"[^\W\d_]", name) or re.search(r"\d{3,}", name):
        replies.text(ctx, m.invalid_name())
        return None
    details_save(ctx, applicant_name=name)
    return field_next(ctx, "name")


def _nik_ask(ctx: Ctx) -> Next:
    replies.text(ctx, m.ask_nik(), application=ctx.application)
    return None


def _nik_answer(ctx: Ctx) -> Next:
    value = typed(ctx)
    if not value:
        return State.NIK
    check = nik_parse(value=value, region_names=region_names)
    if not check.valid:
        # The citizen needs to know what to do, not which digit positions encode what.
        digits = re.sub(r"[\s.\-]", "", value)
        replies.text(ctx, m.invalid_nik(codes=check.error_codes, count=len(digits)))
        return None
    ctx.data.nik = check.nik
    return State.NIK_CONFIRM


def _nik_confirm_ask(ctx: Ctx) -> Next:
    if not ctx.data.nik:
        return State.NIK
    check = nik_parse(value=ctx.data.nik, region_names=region_names)
    replies.buttons(
        ctx,
        m.confirm_nik(
            nik=check.nik,
            birth_date=mc.format_date(check.birth_date) if check.birth_date else "?",
            sex=m.sex_label(check.sex),
            warnings=[w.message for w in check.warnings],
        ),
        [("nik_ok", m.BTN_CORRECT), ("nik_wrong", m.BTN_WRONG)],
        application=ctx.application,
    )
    return None


def _nik_confirm_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "nik_ok" and ctx.data.nik:
        nik, ctx.data.nik = ctx.data.nik, ""
        details_save(ctx, nik=nik)
        return field_next(ctx, "nik")
    if picked == "nik_wrong":
        ctx.data.nik = ""
        return State.NIK
    if re.search(r"\d{6,}", typed(ctx)):
        # Another NIK typed instead of confirming: check that one.
        return _nik_answer(ctx) or Quiet(State.NIK)
    return State.NIK_CONFIRM


def _phone_ask(ctx: Ctx) -> Next:
    replies.text(ctx, m.ask_phone(), application=ctx.application)
    return None


def _phone_answer(ctx: Ctx) -> Next:
    value = typed(ctx)
    if value in ("-", "tidak ada", "tidak", "none"):
        details_save(ctx, phone="")
        return field_next(ctx, "phone")
    digits = phone_normalize(value)
    if digits is None:
        replies.text(ctx, m.invalid_phone())
        return None
    details_save(ctx, phone=digits)
    return field_next(ctx, "phone")


# --- E-mail, delivery, priority -------------------------------------------------------------------------


def _email_ask(ctx: Ctx) -> Next:
    replies.buttons(ctx, m.ask_email(), [("skip", mc.BTN_SKIP)], application=ctx.application)
    return None


def _email_answer(ctx: Ctx) -> Next:
    value = typed(ctx)
    declined = "@" not in value and (normalize(value) in ("-", "lewati", "skip") or matching.yes_or_no(value) == "no")
    if choice(ctx) == "skip" or declined:
        changes: dict = {"email": ""}
        if ctx.application.delivery_preference == DeliveryPreference.EMAIL:
            changes["delivery_preference"] = DeliveryPreference.WHATSAPP
        details_save(ctx, **changes)
        return field_next(ctx, "email")
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        replies.text(ctx, m.invalid_email())
        return None
    details_save(ctx, email=email)
    return field_next(ctx, "email")


DELIVERY = {
    "deliv:email": DeliveryPreference.EMAIL,
    "deliv:whatsapp": DeliveryPreference.WHATSAPP,
    "deliv:pickup": DeliveryPreference.PICKUP,
}
# UU 13/1998: lanjut usia is 60 years and over.
ELDERLY_AGE = 60
PRIORITY = {
    "prio:none": (False, False),
    "prio:elderly": (True, False),
    "prio:disability": (False, True),
    "prio:both": (True, True),
}


def _delivery_ask(ctx: Ctx) -> Next:
    modes = delivery_modes(ctx)
    if len(modes) <= 1:
        delivery_fit(ctx)
        return field_next(ctx, "delivery")
    titles = {"deliv:email": m.BTN_EMAIL, "deliv:whatsapp": m.BTN_WHATSAPP, "deliv:pickup": m.BTN_PICKUP}
    options = [(key, titles[key]) for key, mode in DELIVERY.items() if mode in modes]
    replies.buttons(ctx, m.ask_delivery(), options, application=ctx.application)
    return None


def _delivery_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked not in DELIVERY or DELIVERY[picked] not in delivery_modes(ctx):
        return State.DELIVERY
    details_save(ctx, delivery_preference=DELIVERY[picked])
    return field_next(ctx, "delivery")


def _priority_ask(ctx: Ctx) -> Next:
    rows = [
        ("prio:none", m.ROW_PRIO_NONE, ""),
        ("prio:elderly", m.ROW_PRIO_ELDERLY, ""),
        ("prio:disability", m.ROW_PRIO_DISABILITY, ""),
        ("prio:both", m.ROW_PRIO_BOTH, ""),
    ]
    replies.rows_list(ctx, m.ask_priority(), rows)
    return None


def _priority_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked not in PRIORITY:
        return State.PRIORITY
    elderly, disability = PRIORITY[picked]
    support = ctx.application.disability_support if disability else ""
    details_save(ctx, priority_elderly=elderly, priority_disability=disability, disability_support=support)
    age = elderly_claim_age(ctx.application)
    if age is not None:
        replies.text(ctx, m.elderly_claim_unconfirmed(age=age, elderly_age=ELDERLY_AGE), application=ctx.application)
    if disability:
        return State.DISABILITY_SUPPORT
    return field_next(ctx, "priority")


# Sayang Dilan: the kind of support a person with a disability needs, recorded with the application.
SUPPORT_ROWS = [s for s in DisabilitySupport if s.value]


def _support_ask(ctx: Ctx) -> Next:
    rows = [(f"sup:{s.value}", str(s.label), "") for s in SUPPORT_ROWS]
    replies.rows_list(ctx, m.ask_disability_support(), rows)
    return None


def _support_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    values = {f"sup:{s.value}": s.value for s in SUPPORT_ROWS}
    if picked not in values:
        return State.DISABILITY_SUPPORT
    details_save(ctx, disability_support=values[picked])
    return field_next(ctx, "priority")


def elderly_claim_age(application: Application) -> int | None:
    """The applicant's age by the NIK when it contradicts a lansia claim (under ELDERLY_AGE), else None."""
    if not application.priority_elderly or not application.nik:
        return None
    born = nik_parse(value=application.nik, region_names=region_names).birth_date
    if born is None:
        return None
    today = timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age if age < ELDERLY_AGE else None


# --- Event date and the legal deadline ------------------------------------------------------------------


def _event_date_ask(ctx: Ctx) -> Next:
    replies.text(ctx, m.ask_event_date(event=ctx.application.service.event_label), application=ctx.application)
    return None


def _event_date_answer(ctx: Ctx) -> Next:
    value = date_parse(typed(ctx), today=timezone.localdate())
    if value is None:
        replies.text(ctx, m.invalid_date())
        return None
    details_save(ctx, event_date=value)
    if late_days(ctx.application):
        return State.LATE_NOTICE
    return field_next(ctx, "event_date")


def _late_notice_ask(ctx: Ctx) -> Next:
    service = ctx.application.service
    replies.buttons(
        ctx,
        m.late_notice(
            event=service.event_label,
            days=service.legal_deadline_days,
            basis=service.legal_basis,
            late_days=late_days(ctx.application),
        ),
        [("continue", m.BTN_CONTINUE), ("cancel", mc.BTN_CANCEL)],
        application=ctx.application,
    )
    return None


def _late_notice_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "continue":
        return field_next(ctx, event_field(ctx))
    if picked == "cancel":
        return cancel.cancel_start(ctx, code="")
    return State.LATE_NOTICE


TYPED = {Accept.TEXT}
NAME = step(State.NAME, ask=_name_ask, answer=_name_answer, accepts=TYPED)
NIK = step(State.NIK, ask=_nik_ask, answer=_nik_answer, accepts=TYPED)
NIK_CONFIRM = step(State.NIK_CONFIRM, ask=_nik_confirm_ask, answer=_nik_confirm_answer, accepts={Accept.CHOICE})
PHONE = step(State.PHONE, ask=_phone_ask, answer=_phone_answer, accepts=TYPED)
EMAIL = step(State.EMAIL, ask=_email_ask, answer=_email_answer, accepts={Accept.TEXT, Accept.CHOICE})
DELIVERY_STEP = step(State.DELIVERY, ask=_delivery_ask, answer=_delivery_answer, accepts={Accept.CHOICE})
PRIORITY_STEP = step(State.PRIORITY, ask=_priority_ask, answer=_priority_answer, accepts={Accept.CHOICE})
SUPPORT_STEP = step(State.DISABILITY_SUPPORT, ask=_support_ask, answer=_support_answer, accepts={Accept.CHOICE})
EVENT_DATE = step(State.EVENT_DATE, ask=_event_date_ask, answer=_event_date_answer, accepts=TYPED)
LATE_NOTICE = step(State.LATE_NOTICE, ask=_late_notice_ask, answer=_late_notice_answer, accepts={Accept.CHOICE})
