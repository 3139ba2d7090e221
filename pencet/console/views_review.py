"""The completeness review's decision: accept, return with a verdict per requirement, or reject."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases import services as cases
from pencet.cases.services import TransitionError

from .decorators import staff_required
from .forms import RejectForm
from .review import review_verdict_read
from .views_application import _application, _back, _run


@staff_required
@require_POST
def review_decide(request: HttpRequest, code: str) -> HttpResponse:
    """Accept, return (with a verdict per requirement) or reject after the completeness review."""
    application = _application(request, code)
    decision = request.POST.get("decision")
    user = request.user
    if decision == "accept":
        try:
            cases.application_accept(application=application, actor=user, note=request.POST.get("note", ""))
        except TransitionError as error:
            messages.error(request, error.message)
            return _back(application)
        messages.success(request, _("%(code)s diterima dan masuk forum.") % {"code": application.tracking_code})
        # Straight back to the queue so the next one is one keystroke away.
        return redirect("console:queue", key="submitted")
    if decision == "return":
        items = []
        for requirement in application.service.requirements.all():
            read = review_verdict_read(
                verdict=request.POST.get(f"verdict_{requirement.pk}", ""),
                reason=request.POST.get(f"reason_{requirement.pk}", ""),
                note=request.POST.get(f"note_{requirement.pk}", ""),
            )
            if read is not None:
                items.append(cases.ReviewVerdict(requirement=requirement, verdict=read[0], reason=read[1]))
        _run(
            request,
            application,
            lambda: cases.application_return(
                application=application, actor=user, items=items, note=request.POST.get("note", "")
            ),
            _("Dikembalikan ke pemohon; pemohon diberi tahu lewat WhatsApp."),
        )
        return _back(application)
    if decision == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Alasan penolakan wajib diisi."))
            return _back(application)
        _run(
            request,
            application,
            lambda: cases.application_reject(application=application, actor=user, reason=form.cleaned_data["reason"]),
            _("Permohonan ditolak."),
        )
        return _back(application)
    messages.error(request, _("Pilih keputusan: terima, kembalikan, atau tolak."))
    return _back(application)
