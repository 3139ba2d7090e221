"""The complaints queue (pengaduan): counter filing, assignment, notes, replies, closing, SP4N-LAPOR! export."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pencet.accounts.models import Role, User
from pencet.cases.access import AccessKind, access_record
from pencet.cases.selectors import application_list_for_user
from pencet.surveys import complaints as services
from pencet.surveys.exports import XLSX_CONTENT_TYPE, complaints_csv, complaints_workbook
from pencet.surveys.models import Complaint, ComplaintCategory
from pencet.surveys.selectors import assignable_staff, complaint_for_user, complaints_filtered

from .decorators import staff_required

# The export carries the complainants' names and numbers: only those who handle complaints take it out.
EXPORT_ROLES = services.HANDLER_ROLES


class ComplaintForm(forms.Form):
    citizen_name = forms.CharField(label=gettext_lazy("Nama pelapor"), max_length=150, required=False)
    citizen_phone = forms.CharField(label=gettext_lazy("Nomor telepon/WhatsApp"), max_length=20, required=False)
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=ComplaintCategory.choices)
    application = forms.CharField(
        label=gettext_lazy("Kode permohonan (jika tentang permohonan)"), max_length=20, required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Isi pengaduan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


def _filters(request: HttpRequest) -> dict:
    return {
        "status": request.GET.get("status", "open"),
        "category": request.GET.get("kategori", ""),
        "mine": request.GET.get("saya") == "1",
        "late": request.GET.get("terlambat") == "1",
    }


@staff_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    rows = complaints_filtered(user=request.user, **filters)[:200]
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": Complaint.Status.choices,
        "categories": ComplaintCategory.choices,
        "may_file": services.complaint_may_file(user=request.user),
        "may_export": request.user.has_role(*EXPORT_ROLES),
        "now": timezone.now(),
        "query": request.GET.urlencode(),
    }
    return render(request, "console/surveys/complaints.html", context)


@staff_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    if not services.complaint_may_file(user=request.user):
        return HttpResponseForbidden(_("Akun ini tidak dapat mencatat pengaduan."))
    form = ComplaintForm(request.POST or None, initial={"application": request.GET.get("permohonan", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = None
        if data["application"]:
            code = data["application"].strip().upper()
            application = application_list_for_user(user=request.user).filter(tracking_code=code).first()
            if application is None:
                form.add_error("application", _("Permohonan tidak ditemukan."))
        if not form.errors:
            try:
                complaint = services.complaint_file(
                    office=request.user.office,
                    text=data["text"],
                    category=data["category"],
                    application=application,
                    channel="counter",
                    citizen_name=data["citizen_name"],
                    citizen_phone=data["citizen_phone"],
                    filed_by=request.user,
                )
            except services.ComplaintError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Pengaduan dicatat dengan kode %(code)s.") % {"code": complaint.tracking_code}
                )
                return redirect("console:complaint", code=complaint.tracking_code)
    return render(request, "console/surveys/complaint_new.html", {"form": form})


def _get(request: HttpRequest, code: str) -> Complaint:
    complaint = complaint_for_user(user=request.user, code=code)
    if complaint is None:
        raise Http404
    return complaint


@staff_required
def complaint_detail(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _get(request, code)
    access_record(request=request, kind=AccessKind.COMPLAINT, object_type="complaint", object_id=complaint.pk)
    context = {
        "complaint": complaint,
        "entries": complaint.entries.select_related("author"),
        "may_handle": services.complaint_may_handle(complaint=complaint, user=request.user),
        "may_assign": request.user.has_role(*services.HANDLER_ROLES),
        "staff": assignable_staff(office=complaint.office),
        "late": complaint.is_open and complaint.answered_at is None and complaint.due_at < timezone.now(),
    }
    return render(request, "console/surveys/complaint.html", context)


@staff_required
@require_POST
def complaint_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    complaint = _get(request, code)
    user: User = request.user
    text = request.POST.get("text", "")
    try:
        if action == "assign":
            assignee = User.objects.filter(pk=request.POST.get("assignee") or 0, office_id=complaint.office_id).first()
            if assignee is None:
                raise services.ComplaintError(_("Pilih pegawai."), code="bad_assignee")
            services.complaint_assign(complaint=complaint, actor=user, assignee=assignee)
        elif action == "note":
            services.complaint_note_add(complaint=complaint, actor=user, text=text)
        elif action == "reply":
            services.complaint_reply(complaint=complaint, actor=user, text=text)
        elif action == "close":
            confirmed = "counter" if request.POST.get("confirmed") == "1" else ""
            services.complaint_close(complaint=complaint, actor=user, confirmed_via=confirmed, note=text)
        else:
            raise Http404
    except services.ComplaintError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("console:complaint", code=complaint.tracking_code)


@staff_required
@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    """CSV or XLSX of the filtered complaints, with the columns an officer re-enters in SP4N-LAPOR!."""
    if not request.user.has_role(*EXPORT_ROLES) or request.user.has_role(Role.VILLAGE_STAFF):
        return HttpResponseForbidden(_("Akun ini tidak dapat mengekspor pengaduan."))
    filters = {**_filters(request), "status": request.GET.get("status", "")}
    rows = complaints_filtered(user=request.user, **filters).select_related("office").prefetch_related("entries")
    stamp = timezone.localdate().strftime("%Y%m%d")
    access_record(request=request, kind=AccessKind.EXPORT, object_type="complaints", query=request.GET.urlencode())
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(complaints_workbook(complaints=rows), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="pengaduan-{stamp}.xlsx"'
        return response
    response = HttpResponse(complaints_csv(complaints=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pengaduan-{stamp}.csv"'
    return response
