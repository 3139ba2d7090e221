"""Service clocks in the console: service interruptions (open/close), the overdue list on the home page and the
late-registration decision (refer to the head of office, approve, refuse)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases import services as cases
from pencet.cases.clocks import ClockError, interruption_close, interruption_open
from pencet.cases.clocks_alerts import overdue_for_user
from pencet.cases.models_clocks import ServiceInterruption
from pencet.cases.selectors import application_list_for_user

from .decorators import staff_required


@staff_required
def interruptions(request: HttpRequest) -> HttpResponse:
    """The office's interruptions; POST opens one ("SIAK tidak dapat diakses", "jaringan terputus", …)."""
    user = request.user
    if request.method == "POST":
        try:
            interruption_open(
                office=user.office,
                actor=user,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", "")[:255],
            )
        except ClockError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Gangguan dicatat. Jam tahap SIAK berhenti sampai gangguan ditutup."))
        return redirect("console:interruptions")
    rows = ServiceInterruption.objects.filter(office_id=user.office_id).select_related("opened_by", "closed_by")
    return render(
        request,
        "console/clocks/interruptions.html",
        {
            "open": [r for r in rows if r.closed_at is None],
            "closed": [r for r in rows if r.closed_at][:30],
            "kinds": ServiceInterruption.Kind.choices,
        },
    )


@staff_required
@require_POST
def interruption_end(request: HttpRequest, pk: int) -> HttpResponse:
    interruption = ServiceInterruption.objects.filter(office_id=request.user.office_id, pk=pk).first()
    if interruption is None:
        raise Http404
    try:
        interruption_close(interruption=interruption, actor=request.user, note=request.POST.get("note", "")[:255])
    except ClockError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Gangguan ditutup. Batas waktu permohonan yang tertunda dihitung ulang."))
    return redirect("console:interruptions")


@staff_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Partial for the home page: the user's own queues' overdue stages and those due within the hour."""
    return render(request, "console/clocks/_overdue.html", {"overview": overdue_for_user(user=request.user)})


@staff_required
@require_POST
def late_decide(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """The late-registration step: "refer" (service officer), "approve" or "reject" (head of office)."""
    application = get_object_or_404(application_list_for_user(user=request.user), tracking_code=code)
    note = request.POST.get("note", "").strip()[:2000]
    user = request.user
    steps = {
        "refer": (
            lambda: cases.application_refer_late(application=application, actor=user, note=note),
            _("Diteruskan ke kepala dinas untuk keputusan pencatatan terlambat."),
        ),
        "approve": (
            lambda: cases.application_approve_late(application=application, actor=user, note=note),
            _("Pencatatan terlambat disetujui; permohonan masuk forum."),
        ),
        "reject": (
            lambda: cases.application_reject_late(application=application, actor=user, reason=note),
            _("Pencatatan terlambat ditolak."),
        ),
    }
    if step not in steps:
        raise Http404
    action, success = steps[step]
    try:
        action()
    except cases.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
        if step != "refer":
            return redirect("console:queue", key="awaiting_decision")
    return redirect("console:application", code=application.tracking_code)
