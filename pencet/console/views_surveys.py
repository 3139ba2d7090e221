"""The satisfaction survey in the console: report per period, kiosk, paper entry, follow-up plan, publishing,
and the public page of the latest published IKM."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pencet.accounts.models import Office, Role, User
from pencet.cases.access import AccessKind, access_record
from pencet.catalog.models import Service
from pencet.lib.ikm import ELEMENT_COUNT
from pencet.surveys.exports import XLSX_CONTENT_TYPE, ikm_summary_pdf, ikm_workbook
from pencet.surveys.models import AgeGroup, Sex, SurveyChannel, SurveyPeriod
from pencet.surveys.selectors import (
    ikm_public_summary,
    ikm_report,
    period_latest_published,
    periods_for,
    report_allowed,
)
from pencet.surveys.services import (
    SurveyError,
    survey_period_follow_up_set,
    survey_period_for,
    survey_period_publish,
    survey_response_create,
)

from .decorators import staff_required

ENTRY_ROLES = tuple(r.value for r in Role if r not in (Role.LEADERSHIP, Role.VILLAGE_STAFF))
# The head of office writes the follow-up plan and publishes; the admin may do it on their behalf.
HEAD_ROLES = (Role.SIGNER, Role.ADMIN)


def _may_enter(user: User) -> bool:
    return user.office_id is not None and user.has_role(*ENTRY_ROLES)


def _is_head(user: User) -> bool:
    return user.office_id is not None and user.has_role(*HEAD_ROLES)


class SurveyForm(forms.Form):
    """The questionnaire of one period; the kiosk asks every element, paper entry may leave blanks."""

    service = forms.ModelChoiceField(
        label=gettext_lazy("Layanan yang diterima"), queryset=Service.objects.filter(is_active=True)
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect, required=False
    )
    age_group = forms.ChoiceField(
        label=gettext_lazy("Umur"), choices=AgeGroup.choices, widget=forms.RadioSelect, required=False
    )
    suggestion = forms.CharField(
        label=gettext_lazy("Saran dan masukan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: object, period: SurveyPeriod, paper: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.paper = paper
        radio = forms.RadioSelect
        self.fields["education"] = forms.ChoiceField(
            label=_("Pendidikan terakhir"),
            choices=[(o, o) for o in period.education_options],
            widget=radio,
            required=False,
        )
        self.fields["occupation"] = forms.ChoiceField(
            label=_("Pekerjaan"), choices=[(o, o) for o in period.occupation_options], widget=radio, required=False
        )
        self.questions = list(period.questions.order_by("element"))
        for question in self.questions:
            choices = [(str(score), full) for score, full, _short in question.options()]
            if paper:
                choices = [("", _("(kosong)")), *choices]
            self.fields[f"u{question.element}"] = forms.TypedChoiceField(
                label=f"{question.element}. {question.text}",
                choices=choices,
                coerce=int,
                empty_value=None,
                widget=forms.Select if paper else radio,
                required=not paper,
            )
        if paper:
            self.fields["age"] = forms.IntegerField(
                label=_("Umur (tahun)"), min_value=10, max_value=120, required=False
            )
            self.fields["form_number"] = forms.CharField(label=_("Nomor formulir"), max_length=40)
            self.fields["on"] = forms.DateField(
                label=_("Tanggal pengisian"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
            )

    def element_fields(self) -> list[forms.BoundField]:
        return [self[f"u{q.element}"] for q in self.questions]

    def scores(self) -> list[int | None]:
        return [self.cleaned_data.get(f"u{n}") for n in range(1, ELEMENT_COUNT + 1)]


def _store(request: HttpRequest, form: SurveyForm, channel: str) -> bool:
    data = form.cleaned_data
    try:
        survey_response_create(
            office=request.user.office,
            channel=channel,
            service=data["service"],
            on=data.get("on") or timezone.localdate(),
            scores=form.scores(),
            sex=data.get("sex") or "",
            age=data.get("age"),
            age_group="" if data.get("age") else data.get("age_group") or "",
            education=data.get("education") or "",
            occupation=data.get("occupation") or "",
            suggestion=data.get("suggestion") or "",
            form_number=data.get("form_number") or "",
            entered_by=request.user,
        )
    except SurveyError as error:
        form.add_error("form_number" if error.code == "duplicate_form_number" else None, error.message)
        return False
    return True


@staff_required
def survey_kiosk(request: HttpRequest) -> HttpResponse:
    """The counter tablet: signed in by staff once, then citizens answer one after another without logging in."""
    if not _may_enter(request.user):
        return HttpResponseForbidden(_("Akun ini tidak dapat membuka kios survei."))
    period = survey_period_for(office=request.user.office, on=timezone.localdate())
    form = SurveyForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid() and _store(request, form, SurveyChannel.KIOSK):
        return render(request, "console/surveys/kiosk_thanks.html", {"office": request.user.office})
    return render(request, "console/surveys/kiosk.html", {"form": form, "period": period})


@staff_required
def survey_paper(request: HttpRequest) -> HttpResponse:
    """Officers type in the printed questionnaires; the form's serial number stops a second entry."""
    if not _may_enter(request.user):
        return HttpResponseForbidden(_("Akun ini tidak dapat memasukkan kuesioner."))
    on = timezone.localdate()
    if request.method == "POST":
        try:
            on = date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            pass
    period = survey_period_for(office=request.user.office, on=on)
    form = SurveyForm(request.POST or None, period=period, paper=True)
    if request.method == "POST" and form.is_valid() and _store(request, form, SurveyChannel.PAPER):
        messages.success(request, _("Formulir %(number)s tersimpan.") % {"number": form.cleaned_data["form_number"]})
        return redirect("console:survey_paper")
    return render(request, "console/surveys/paper.html", {"form": form, "period": period})


def _period(request: HttpRequest, pk: int | None = None) -> SurveyPeriod:
    office = request.user.office
    if pk is None:
        pk_text = request.GET.get("periode", "")
        if not pk_text.isdigit():
            return survey_period_for(office=office, on=timezone.localdate())
        pk = int(pk_text)
    return get_object_or_404(SurveyPeriod, pk=pk, office=office)


def _report_for(request: HttpRequest, period: SurveyPeriod):
    code = request.GET.get("layanan", "")
    service = Service.objects.filter(code=code).first() if code else None
    return ikm_report(office=period.office, date_from=period.starts_on, date_to=period.ends_on, service=service)


@staff_required
def survey_report(request: HttpRequest) -> HttpResponse:
    if not report_allowed(user=request.user):
        return HttpResponseForbidden(_("Akun ini tidak dapat melihat laporan survei."))
    period = _period(request)
    report = _report_for(request, period)
    context = {
        "period": period,
        "periods": periods_for(office=request.user.office),
        "report": report,
        "services": Service.objects.filter(is_active=True),
        "is_head": _is_head(request.user),
        "may_enter": _may_enter(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "console/surveys/report.html", context)


@staff_required
@require_GET
def survey_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    if not report_allowed(user=request.user):
        return HttpResponseForbidden()
    period = _period(request, pk)
    access_record(request=request, kind=AccessKind.EXPORT, object_type="survey_xlsx", object_id=pk)
    response = HttpResponse(ikm_workbook(report=_report_for(request, period)), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="skm-{period.office.code}-{period.pk}.xlsx"'
    return response


@staff_required
@require_GET
def survey_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not report_allowed(user=request.user):
        return HttpResponseForbidden()
    period = _period(request, pk)
    access_record(request=request, kind=AccessKind.EXPORT, object_type="survey_pdf", object_id=pk)
    pdf = ikm_summary_pdf(report=_report_for(request, period), period=period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skm-{period.office.code}-{period.pk}.pdf"'
    return response


@staff_required
@require_POST
def survey_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_head(request.user):
        return HttpResponseForbidden(_("Rencana tindak lanjut diisi oleh Kepala Dinas."))
    period = _period(request, pk)
    survey_period_follow_up_set(period=period, actor=request.user, plan=request.POST.get("plan", ""))
    messages.success(request, _("Rencana tindak lanjut tersimpan."))
    return redirect(_report_url(period))


@staff_required
@require_POST
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_head(request.user):
        return HttpResponseForbidden(_("Hasil survei diumumkan oleh Kepala Dinas."))
    period = _period(request, pk)
    survey_period_publish(period=period, result=ikm_public_summary(period=period))
    messages.success(request, _("Hasil survei %(name)s diumumkan di halaman publik.") % {"name": period.name})
    return redirect(_report_url(period))


def _report_url(period: SurveyPeriod) -> str:
    return reverse("console:survey_report") + f"?periode={period.pk}"


@require_GET
def ikm_public(request: HttpRequest, office_code: str = "") -> HttpResponse:
    """The latest published IKM and grade, as offices must publish it (no login)."""
    office = None
    if office_code:
        office = Office.objects.filter(code=office_code.upper()).first()
        if office is None:
            raise Http404
    period = period_latest_published(office=office)
    return render(
        request, "console/surveys/public.html", {"period": period, "result": period.published_result if period else {}}
    )
