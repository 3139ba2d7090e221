"""Survey endpoints: responses from kiosks, paper entry and other systems, and the IKM report (JSON or XLSX).

The response body is checked by pencet.surveys.services (the same checks as the kiosk and paper entry) and every
refusal answers 400 with the JSON error shape, so the schema below is deliberately lenient about types.
"""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from pencet.accounts.models import Role, User
from pencet.cases.access import AccessKind, access_record
from pencet.catalog.models import Service
from pencet.surveys.exports import XLSX_CONTENT_TYPE, ikm_workbook
from pencet.surveys.selectors import ikm_api_dict, ikm_report, report_allowed
from pencet.surveys.services import SurveyError, survey_response_create

from .errors import ApiError
from .schemas import ErrorOut

router = Router(tags=["surveys"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Leadership only reads; village staff do not take the office's satisfaction survey.
ENTRY_ROLES = tuple(r.value for r in Role if r not in (Role.LEADERSHIP, Role.VILLAGE_STAFF))


class SurveyResponseIn(Schema):
    channel: str = Field(description='"paper", "kiosk" or "whatsapp".')
    service: str = Field(description="Service code, e.g. akta-kelahiran.")
    date: str = Field(description="YYYY-MM-DD: the day of the service or of the answer.")
    scores: Any = Field(
        description="Nine integers 1–4 in the regulation's element order (U1 persyaratan … U9 sarana dan "
        "prasarana), null where unanswered."
    )
    sex: str = Field("", description='"L" or "P".')
    age: Any = Field(None, description="Age in years (10–120).")
    education: str = ""
    occupation: str = ""
    suggestion: str = ""
    form_number: str = Field("", description="The printed form's serial number: required for paper, unique per office.")


class CreatedOut(Schema):
    id: int


class ElementOut(Schema):
    element: int
    name: str
    nrr: float | None = Field(description="Sum of the scores ÷ number of filled answers for this element.")
    weighted_nrr: float | None = Field(description="NRR × 1/9.")


class IkmOut(Schema):
    respondents: int
    elements: list[ElementOut]
    ikm: float | None = Field(description="Σ weighted NRR × 25, two decimals (null without responses).")
    grade: Literal["A", "B", "C", "D"] | None
    grade_label: str
    population: int = Field(description="Services completed in the range: applications delivered or picked up.")
    required_sample: int = Field(description="Krejcie–Morgan minimum sample for the population.")


class IkmQuery(Schema):
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    service: str | None = Field(None, max_length=60)
    format: Literal["json", "xlsx"] = "json"


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


def _service(code: str, *, status: int) -> Service:
    service = Service.objects.filter(code=code.strip()).first()
    if service is None:
        raise ApiError(status, "unknown_service", _("Layanan '%(code)s' tidak dikenal.") % {"code": code})
    return service


@router.post(
    "/surveys/responses",
    response={201: CreatedOut, **ERRORS},
    summary="Store one questionnaire (kiosk, paper entry or another system)",
)
def survey_response_store(request: HttpRequest, payload: SurveyResponseIn) -> HttpStatus[dict]:
    user = _user(request)
    if user.office_id is None or not (user.is_superuser or user.has_role(*ENTRY_ROLES)):
        raise ApiError(403, "forbidden", _("Akun Anda tidak dapat memasukkan jawaban survei."))
    try:
        on = date.fromisoformat(payload.date)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "invalid_date", _("Tanggal harus berformat YYYY-MM-DD.")) from exc
    age = payload.age
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise ApiError(400, "invalid_age", _("Umur harus bilangan bulat."))
    try:
        response = survey_response_create(
            office=user.office,
            channel=payload.channel,
            service=_service(payload.service, status=400),
            on=on,
            scores=payload.scores,
            sex=payload.sex.strip().upper(),
            age=age,
            education=payload.education,
            occupation=payload.occupation,
            suggestion=payload.suggestion,
            form_number=payload.form_number,
            entered_by=user,
        )
    except SurveyError as exc:
        raise ApiError(400, exc.code, exc.message) from exc
    return HttpStatus(201, {"id": response.pk})


@router.get(
    "/reports/ikm",
    response={200: IkmOut, **ERRORS},
    summary="The IKM of a date range (NRR per element, grade, sample); format=xlsx for the evaluators' workbook",
)
def ikm_read(request: HttpRequest, query: Query[IkmQuery]) -> dict | HttpResponse:
    user = _user(request)
    if not report_allowed(user=user):
        raise ApiError(403, "forbidden", _("Akun Anda tidak dapat melihat laporan survei."))
    if query.date_to < query.date_from:
        raise ApiError(400, "invalid_range", _("Tanggal 'to' sebelum tanggal 'from'."))
    service = _service(query.service, status=404) if query.service else None
    report = ikm_report(office=user.office, date_from=query.date_from, date_to=query.date_to, service=service)
    if query.format == "xlsx":
        access_record(request=request, kind=AccessKind.EXPORT, object_type="ikm_xlsx", query=request.GET.urlencode())
        response = HttpResponse(ikm_workbook(report=report), content_type=XLSX_CONTENT_TYPE)
        name = f"ikm-{user.office.code}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return ikm_api_dict(report=report)
