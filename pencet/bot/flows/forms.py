"""Blank forms on request: "formulirnya dimana?", "minta formulir F-1.01", "blanko sptjm", or *formulir* at a file
step that needs one. The PDF goes out as a WhatsApp document and the conversation goes on at the step it was at."""

from pencet.catalog.blank_forms import BLANK_FORMS, BlankForm
from pencet.catalog.models import Requirement, Service
from pencet.catalog.services import blank_form_stored

from .. import replies, selectors
from ..commands import Command
from ..conversation import Ctx, State
from ..engine import Next, command, reask_if_busy
from ..messages import files as m

# Steps where one requirement is being collected.
FILE_STATES = (State.OFFER_PENDING, State.COLLECT, State.QUALITY, State.EDIT_FILE)
# The statements (SPTJM): "blanko sptjm" asks for one of them.
SPTJM_WORDS = ("sptjm", "pernyataan")
MAX_SENT = 3


def _codes(requirements: list[Requirement]) -> list[str]:
    codes: list[str] = []
    for requirement in requirements:
        if requirement.form and requirement.form in BLANK_FORMS and requirement.form not in codes:
            codes.append(requirement.form)
    return codes


def context_forms(ctx: Ctx) -> list[str]:
    """The forms of where the citizen is: the requirement asked now, the alternatives offered, else the service."""
    data = ctx.data
    if ctx.state in FILE_STATES and data.req:
        codes = _codes(list(Requirement.objects.filter(pk=data.req)))
        if codes:
            return codes
    if ctx.state == State.CHOOSE_ALT and data.slot < len(data.slots):
        codes = _codes(list(Requirement.objects.filter(pk__in=data.slots[data.slot]).order_by("order", "pk")))
        if codes:
            return codes
    service = ctx.application.service if ctx.application is not None else None
    if service is None and data.service:
        service = Service.objects.filter(pk=data.service).first()
    codes = selectors.service_form_codes(service=service) if service is not None else []
    return [code for code in codes if code in BLANK_FORMS]


def forms_wanted(ctx: Ctx, parsed: Command) -> tuple[list[BlankForm], bool]:
    """The forms to send, and whether the citizen asked for a statement (SPTJM) without saying which."""
    if parsed.code:
        return [BLANK_FORMS[parsed.code]], False
    said = parsed.text
    named = [f for f in BLANK_FORMS.values() if any(keyword in said for keyword in f.keywords)]
    if named:
        return named[:MAX_SENT], False
    wants_sptjm = any(word in said.split() for word in SPTJM_WORDS)
    here = [BLANK_FORMS[code] for code in context_forms(ctx)]
    if wants_sptjm:
        here = [f for f in here if _is_sptjm(f)]
    return here[:MAX_SENT], wants_sptjm


def _is_sptjm(form: BlankForm) -> bool:
    return "Tanggung Jawab Mutlak" in form.title


def forms_send(ctx: Ctx, forms: list[BlankForm]) -> None:
    office = ctx.office
    for form in forms:
        name = blank_form_stored(
            code=form.code, office_code=office.code, office_name=office.name, office_address=office.address
        )
        replies.document(
            ctx, storage_name=name, filename=form.filename, caption=m.form_caption(code=form.code, title=form.title)
        )


@command("form")
def _form_command(ctx: Ctx, parsed: Command) -> Next:
    forms, wants_sptjm = forms_wanted(ctx, parsed)
    if forms:
        forms_send(ctx, forms)
    elif wants_sptjm:
        replies.text(
            ctx, m.forms_choose_sptjm(forms=[f"{f.code} {f.title}" for f in BLANK_FORMS.values() if _is_sptjm(f)])
        )
    else:
        replies.text(ctx, m.forms_available(forms=[f"{f.code} {f.title}" for f in BLANK_FORMS.values()]))
    # Back to the question the citizen was answering (the file step asks for the photo of the filled form).
    return reask_if_busy(ctx)
