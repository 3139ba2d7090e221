"""A bundle's documents on the application page: each with its stage, SIAK reference, PDF and own steps (SIAK input,
verification, PDF, signature, and the counter's hand-over of that one document: "serahkan").

The steps offered are pencet.cases.components.component_actions_for (the API offers the same); each POST calls the
service, whose refusal becomes a message on the page.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.accounts.models import User
from pencet.cases.components import (
    component_actions_for,
    component_approve,
    component_hand_over,
    component_siak_record,
)
from pencet.cases.models import Application, Component
from pencet.cases.selectors import application_list_for_user
from pencet.cases.services import TransitionError
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import component_sign

from .decorators import staff_required
from .forms import PickupForm


def component_rows(*, application: Application, user: User, actions: list[str]) -> list[dict]:
    """Each document of a bundle with what `user` may do with it; `actions`: the application's own (output_add,
    output_specimen apply per document)."""
    rows = []
    for component in application.components.select_related("service", "signed_by", "verified_by"):
        outputs = list(component.outputs.order_by("created_at", "pk"))
        offered = component_actions_for(component=component, user=user)
        rows.append(
            {
                "component": component,
                "outputs": outputs,
                "seen": ",".join(o.sha256 for o in outputs),
                "actions": offered + [a for a in ("output_add", "output_specimen") if a in actions],
                # The counter's hand-over of this one document; its own prefix keeps the fields apart per document.
                "pickup_form": (
                    PickupForm(requirements=[], prefix=f"c{component.pk}") if "component_pick_up" in offered else None
                ),
            }
        )
    return rows


def _hand_over(*, request: HttpRequest, application: Application, component: Component) -> None:
    form = PickupForm(request.POST, requirements=[], prefix=f"c{component.pk}")
    if not form.is_valid():
        raise TransitionError(" ".join(str(e) for errors in form.errors.values() for e in errors), code="invalid")
    representative = form.cleaned_data["collector"] == "representative"
    component_hand_over(
        component=component,
        actor=request.user,
        collected_by=(
            form.cleaned_data["representative_name"].strip()
            if representative
            else application.applicant_name or _("Pemohon")
        ),
        is_representative=representative,
        note=form.cleaned_data["note"],
        collector=form.collector_record(),
    )


@staff_required
@require_POST
def component_step(request: HttpRequest, code: str, pk: int, step: str) -> HttpResponse:
    application = get_object_or_404(application_list_for_user(user=request.user), tracking_code=code)
    component = get_object_or_404(Component.objects.select_related("service"), pk=pk, application=application)
    user = request.user
    post = request.POST
    steps = {
        "siak": (
            lambda: component_siak_record(
                component=component,
                actor=user,
                siak_reference=post.get("siak_reference", ""),
                note=post.get("note", ""),
            ),
            _("Nomor SIAK %(document)s dicatat."),
        ),
        "verifikasi": (
            lambda: component_approve(component=component, actor=user, note=post.get("note", "")),
            _("%(document)s disetujui."),
        ),
        "hasil": (
            lambda: (
                delivery_services.output_document_add(
                    application=application, uploaded_file=request.FILES["file"], actor=user, component=component
                )
                if "file" in request.FILES
                else _missing_file()
            ),
            _("Dokumen hasil %(document)s dilampirkan."),
        ),
        "spesimen": (
            lambda: delivery_services.output_specimen_create(application=application, actor=user, component=component),
            _("Spesimen %(document)s dibuat."),
        ),
        "tanda-tangan": (
            lambda: component_sign(
                component=component,
                actor=user,
                passphrase=post.get("passphrase", ""),
                seen=[s for s in post.get("seen", "").split(",") if s],
            ),
            _("%(document)s ditandatangani secara elektronik."),
        ),
        "serahkan": (
            lambda: _hand_over(request=request, application=application, component=component),
            _("%(document)s tercatat sudah diserahkan."),
        ),
    }
    if step not in steps:
        raise Http404
    action, success = steps[step]
    try:
        action()
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success % {"document": component.service.name})
    return redirect("console:application", code=application.tracking_code)


def _missing_file() -> None:
    raise TransitionError(_("Pilih berkas PDF dokumen hasil."), code="no_file")
