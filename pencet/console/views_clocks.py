"""Service clocks in the console: service interruptions (open/close) and the overdue list on the home page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases.clocks import ClockError, interruption_close, interruption_open
from pencet.cases.clocks_alerts import overdue_for_user
from pencet.cases.models_clocks import ServiceInterruption

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
