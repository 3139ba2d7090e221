"""Reads: the IKM report of a date range (per service and overall), the respondents' rows, and complaint queues."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Application, Status
from pencet.catalog.models import Service
from pencet.lib.ikm import ELEMENT_COUNT, index_compute, index_from_totals, sample_minimum

from . import seed_data
from .models import Complaint, SurveyAnswer, SurveyPeriod, SurveyQuestion, SurveyResponse

GRADE_LABELS = {
    "A": gettext_lazy("Sangat baik"),
    "B": gettext_lazy("Baik"),
    "C": gettext_lazy("Kurang baik"),
    "D": gettext_lazy("Tidak baik"),
}
LOWEST_SHOWN = 3
REPORT_ROLES = tuple(r.value for r in Role if r != Role.VILLAGE_STAFF)


@dataclass
class ElementRow:
    element: int
    name: str
    total: int
    answers: int
    nrr: float | None
    weighted_nrr: float | None
    suggestions: list[str] = field(default_factory=list)


@dataclass
class IkmReport:
    office: Office
    date_from: date
    date_to: date
    service: Service | None
    respondents: int
    elements: list[ElementRow]
    ikm: float | None
    grade: str
    grade_label: str
    population: int
    required_sample: int
    lowest: list[ElementRow]
    profile: dict[str, list[tuple[str, int]]]
    suggestions: list[str]
    per_service: list[tuple[Service, int, float | None, str]] = field(default_factory=list)

    @property
    def sample_ok(self) -> bool:
        return self.respondents >= self.required_sample


def report_allowed(*, user: User) -> bool:
    return user.is_authenticated and user.office_id is not None and user.has_role(*REPORT_ROLES)


def _element_names(office: Office, date_from: date, date_to: date) -> dict[int, tuple[str, list[str]]]:
    period = (
        SurveyPeriod.objects.filter(office=office, starts_on__lte=date_to, ends_on__gte=date_from)
        .order_by("-starts_on")
        .first()
    )
    names = {q[0]: (q[1], [k for k in q[5].split(",") if k]) for q in seed_data.QUESTIONS}
    if period is not None:
        for question in SurveyQuestion.objects.filter(period=period):
            names[question.element] = (question.name, question.keyword_list())
    return names


def _bounds(office: Office, date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(office.time_zone)
    return datetime.combine(date_from, time.min, zone), datetime.combine(date_to + timedelta(days=1), time.min, zone)


def services_completed(*, office: Office, date_from: date, date_to: date, service: Service | None = None) -> int:
    """The period's population N: applications delivered or picked up within it (office time zone)."""
    start, end = _bounds(office, date_from, date_to)
    qs = Application.objects.filter(
        office=office, status__in=(Status.DELIVERED, Status.PICKED_UP), closed_at__gte=start, closed_at__lt=end
    )
    if service is not None:
        qs = qs.filter(service=service)
    return qs.count()


def responses_in(*, office: Office, date_from: date, date_to: date, service: Service | None = None) -> QuerySet:
    qs = SurveyResponse.objects.filter(office=office, date__gte=date_from, date__lte=date_to)
    return qs.filter(service=service) if service is not None else qs


def response_scores(*, responses: QuerySet) -> dict[int, list[int | None]]:
    """Nine scores (None where blank) per response id, in the regulation's element order."""
    scores: dict[int, list[int | None]] = {pk: [None] * ELEMENT_COUNT for pk in responses.values_list("pk", flat=True)}
    answers = SurveyAnswer.objects.filter(response__in=responses).values_list("response_id", "element", "score")
    for response_id, element, score in answers:
        scores[response_id][element - 1] = score
    return scores


def _float(value: object, places: int = 6) -> float | None:
    return None if value is None else round(float(value), places)


def _mentions(keywords: list[str], suggestions: list[str]) -> list[str]:
    if not keywords:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(k.strip().lower()) for k in keywords) + r")\b")
    return [s for s in suggestions if pattern.search(s.lower())]


def ikm_report(
    *, office: Office, date_from: date, date_to: date, service: Service | None = None, breakdown: bool = True
) -> IkmReport:
    responses = responses_in(office=office, date_from=date_from, date_to=date_to, service=service)
    scores = response_scores(responses=responses)
    result = index_compute(list(scores.values()))
    names = _element_names(office, date_from, date_to)
    suggestions = [s for s in responses.exclude(suggestion="").values_list("suggestion", flat=True)]
    elements = [
        ElementRow(
            element=e.element,
            name=names[e.element][0],
            total=e.total,
            answers=e.answers,
            nrr=_float(e.nrr),
            weighted_nrr=_float(e.weighted_nrr),
        )
        for e in result.elements
    ]
    lowest = sorted((e for e in elements if e.nrr is not None), key=lambda e: (e.nrr, e.element))[:LOWEST_SHOWN]
    for row in lowest:
        row.suggestions = _mentions(names[row.element][1], suggestions)
    population = services_completed(office=office, date_from=date_from, date_to=date_to, service=service)
    profile_fields = {"sex": _("Jenis kelamin"), "age_group": _("Umur"), "education": _("Pendidikan")}
    profile_fields.update({"occupation": _("Pekerjaan"), "channel": _("Kanal")})
    profile = {}
    for name, label in profile_fields.items():
        model_field = SurveyResponse._meta.get_field(name)
        display = dict(model_field.choices or [])
        counts = Counter(responses.values_list(name, flat=True))
        profile[label] = sorted(
            ((str(display.get(k, k)) if k else _("(tidak diisi)"), n) for k, n in counts.items()), key=lambda x: -x[1]
        )
    report = IkmReport(
        office=office,
        date_from=date_from,
        date_to=date_to,
        service=service,
        respondents=len(scores),
        elements=elements,
        ikm=_float(result.ikm, 2),
        grade=result.grade,
        grade_label=str(GRADE_LABELS.get(result.grade, "")),
        population=population,
        required_sample=sample_minimum(population),
        lowest=lowest,
        profile=profile,
        suggestions=suggestions,
    )
    if breakdown and service is None:
        service_ids = responses.values_list("service_id", flat=True).distinct()
        for item in Service.objects.filter(pk__in=service_ids).order_by("sort_order", "name"):
            part = index_compute(list(response_scores(responses=responses.filter(service=item)).values()))
            count = responses.filter(service=item).count()
            report.per_service.append((item, count, _float(part.ikm, 2), part.grade))
    return report


@dataclass(frozen=True)
class IkmHeadline:
    ikm: float | None
    grade: str
    grade_label: str
    respondents: int


def ikm_headline(*, office: Office, date_from: date, date_to: date) -> IkmHeadline:
    """The index, its grade and the respondents of a date range, as the leadership dashboard shows them: each
    element's scores summed by the database, the same figures as ikm_report's without reading every answer, the
    suggestions and the profile, nor counting the population (the applications completed in the range)."""
    responses = responses_in(office=office, date_from=date_from, date_to=date_to)
    sums = {
        element: (total, answers)
        for element, total, answers in SurveyAnswer.objects.filter(response__in=responses)
        .values("element")
        .annotate(total=Sum("score"), answers=Count("id"))
        .values_list("element", "total", "answers")
    }
    result = index_from_totals([sums.get(element, (0, 0)) for element in range(1, ELEMENT_COUNT + 1)])
    return IkmHeadline(
        ikm=_float(result.ikm, 2),
        grade=result.grade,
        grade_label=str(GRADE_LABELS.get(result.grade, "")),
        respondents=responses.count(),
    )


def ikm_api_dict(*, report: IkmReport) -> dict:
    """The shape of GET /api/v1/reports/ikm."""
    return {
        "respondents": report.respondents,
        "elements": [
            {"element": e.element, "name": e.name, "nrr": e.nrr, "weighted_nrr": e.weighted_nrr}
            for e in report.elements
        ],
        "ikm": report.ikm,
        "grade": report.grade or None,
        "grade_label": report.grade_label,
        "population": report.population,
        "required_sample": report.required_sample,
    }


def ikm_public_summary(*, period: SurveyPeriod) -> dict:
    report = ikm_report(office=period.office, date_from=period.starts_on, date_to=period.ends_on, breakdown=False)
    return {**ikm_api_dict(report=report), "period": period.name}


def periods_for(*, office: Office) -> QuerySet[SurveyPeriod]:
    return SurveyPeriod.objects.filter(office=office).order_by("-starts_on")


def period_latest_published(*, office: Office | None = None) -> SurveyPeriod | None:
    qs = SurveyPeriod.objects.filter(published_at__isnull=False).select_related("office")
    if office is not None:
        qs = qs.filter(office=office)
    return qs.order_by("-ends_on", "-published_at").first()


# --- complaints ------------------------------------------------------------------------------------------------


def complaints_for_user(*, user: User) -> QuerySet[Complaint]:
    """The office's complaints; village staff see only those they filed."""
    if not user.is_authenticated or user.office_id is None or not user.roles:
        return Complaint.objects.none()
    qs = Complaint.objects.filter(office_id=user.office_id).select_related("assigned_to", "application")
    if user.roles <= {Role.VILLAGE_STAFF}:
        qs = qs.filter(filed_by=user)
    return qs


def complaints_filtered(
    *, user: User, status: str = "", category: str = "", mine: bool = False, late: bool = False
) -> QuerySet[Complaint]:
    qs = complaints_for_user(user=user)
    if status == "open":
        qs = qs.exclude(status=Complaint.Status.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if mine:
        qs = qs.filter(assigned_to=user)
    if late:
        qs = qs.filter(Q(escalated_at__isnull=False) | Q(answered_at__isnull=True, due_at__lt=timezone.now()))
        qs = qs.exclude(status=Complaint.Status.CLOSED)
    return qs.order_by("due_at", "pk") if status == "open" else qs.order_by("-created_at", "-pk")


def complaint_for_user(*, user: User, code: str) -> Complaint | None:
    return complaints_for_user(user=user).filter(tracking_code=code.strip().upper()).first()


def assignable_staff(*, office: Office) -> QuerySet[User]:
    return (
        User.objects.filter(office=office, is_active=True, role_grants__isnull=False)
        .exclude(role_grants__role=Role.VILLAGE_STAFF)
        .distinct()
        .order_by("first_name", "username")
    )
