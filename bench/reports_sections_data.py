"""What bench/reports.py writes beside the applications so every dashboard section has data: stage timers (SLA per
stage, overdue now), survey responses (IKM), complaints, and, through the product's own services, a coverage import
per office (semester 2026-1, imported on 1 July 2026) and a transport cost per district (impact).

Rows are built here per application and written by the caller with COPY / executemany, like the applications.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

# The stage each transition starts (the clock's STATUS_STAGE through the status it leads to).
STAGE_STARTED = {"submit": "review", "resubmit": "review", "return": "waiting_citizen", "accept": "siak",
                 "complete_siak": "verification", "approve": "signature", "sign": "delivery"}  # fmt: skip
TIMER_COLUMNS = ("id", "application_id", "office_id", "stage", "started_at", "ended_at", "target_minutes", "due_at",
                 "working_seconds", "wall_seconds", "target_met", "started_event_id", "ended_event_id")  # fmt: skip
RESPONSE_COLUMNS = ("id", "office_id", "period_id", "service_id", "channel", "date", "sex", "age", "age_group",
                    "education", "occupation", "suggestion", "form_number")  # fmt: skip
ANSWER_COLUMNS = ("id", "response_id", "element", "score")
COMPLAINT_COLUMNS = ("id", "office_id", "tracking_code", "channel", "category", "text", "status", "citizen_name",
                     "citizen_phone", "application_id", "created_at", "due_at", "answered_at", "closed_at",
                     "confirmed_via")  # fmt: skip
# Every table the generator writes with its own ids.
ID_TABLES = ("cases_application", "cases_event", "cases_reviewitem", "cases_stagetimer", "surveys_surveyresponse",
             "surveys_surveyanswer", "surveys_complaint")  # fmt: skip
SURVEY_SHARE = 0.06  # of the documents handed over, answered the questionnaire
COMPLAINT_SHARE = 0.004
SUGGESTIONS = ("antrian lama", "petugas ramah", "persyaratan jelas", "waktu tunggu terlalu lama", "")
AGE_GROUPS = ("<=20", "21-30", "31-40", "41-50", "51-60", ">60")
EDUCATION = ("SD ke bawah", "SMP", "SMA/SMK", "D1–D3", "D4/S1")
OCCUPATION = ("PNS", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya")
CATEGORIES = ("persyaratan", "prosedur", "waktu", "petugas", "sarana", "saran")


class Ids:
    """Primary keys handed out by the generator (the tables are written without the database's sequences)."""

    def __init__(self) -> None:
        self.timer = self.response = self.answer = self.complaint = 0


def stage_minutes() -> dict[int, dict[str, int]]:
    """Service id → stage → target working minutes, as the catalogue seeded them (bundles: the longest)."""
    from pencet.catalog.models import DEFAULT_STAGE_MINUTES, Service
    from pencet.catalog.services import service_stage_minutes

    return {
        service.pk: {
            stage: service_stage_minutes(service=service, stage=stage) or DEFAULT_STAGE_MINUTES.get(stage)
            for stage in set(STAGE_STARTED.values())
            if stage != "waiting_citizen"
        }
        for service in Service.objects.prefetch_related("components")
    }


def timer_rows(
    *,
    ids: Ids,
    application_id: int,
    office_id: int,
    events: list[tuple[int, str, datetime]],
    targets: dict[str, int],
    pickup: bool,
) -> list[tuple]:
    """The clock's stage timers of one walk: (event id, kind, moment) in order; the last stage stays open."""
    rows, started = [], None
    for event_id, kind, moment in events:
        if started is not None:  # every transition ends the stage the previous one started
            rows.append(_timer(ids, (application_id, office_id), started, (event_id, moment), targets, pickup))
        stage = STAGE_STARTED.get(kind)
        started = (event_id, moment, stage) if stage else None
    if started is not None:
        rows.append(_timer(ids, (application_id, office_id), started, None, targets, pickup))
    return rows


def _timer(ids: Ids, owner: tuple[int, int], started: tuple, ended: tuple | None, targets, pickup) -> tuple:
    ids.timer += 1
    stage = started[2]
    target = None if stage == "waiting_citizen" or (stage == "delivery" and pickup) else targets.get(stage)
    start = started[1]
    due = start + timedelta(minutes=target) if target else None
    if ended is None:
        return (ids.timer, *owner, stage, start, None, target, due, None, None, None, started[0], None)
    seconds = int((ended[1] - start).total_seconds())
    met = None if target is None else seconds <= target * 60
    return (ids.timer, *owner, stage, start, ended[1], target, due, seconds, seconds, met, started[0],
            ended[0])  # fmt: skip


def survey_rows(
    *, ids: Ids, rng: random.Random, office_id: int, period_id: int, service_id: int, channel: str, day: date
) -> tuple[list[tuple], list[tuple]]:
    """One questionnaire (and its nine scores) for a document handed over on `day`."""
    ids.response += 1
    age_group = rng.choice(AGE_GROUPS)
    response = (ids.response, office_id, period_id, service_id, "whatsapp" if channel != "walk_in" else "kiosk", day,
                rng.choice("LP"), None, age_group, rng.choice(EDUCATION), rng.choice(OCCUPATION),
                rng.choice(SUGGESTIONS), "")  # fmt: skip
    answers = []
    for element in range(1, 10):
        ids.answer += 1
        answers.append((ids.answer, ids.response, element, rng.choices((1, 2, 3, 4), (3, 12, 50, 35))[0]))
    return [response], answers


def complaint_row(*, ids: Ids, rng: random.Random, office_id: int, application_id: int, at: datetime) -> tuple:
    ids.complaint += 1
    created = at + timedelta(hours=rng.uniform(1, 48))
    due = created + timedelta(days=3)
    answered = created + timedelta(hours=rng.uniform(1, 120)) if rng.random() < 0.9 else None
    closed = answered + timedelta(days=1) if answered and rng.random() < 0.85 else None
    status = "closed" if closed else "answered" if answered else "new"
    return (ids.complaint, office_id, f"ADU-{ids.complaint:08d}", rng.choice(("whatsapp", "counter")),
            rng.choice(CATEGORIES), "Keluhan", status, "Pelapor", "", application_id, created, due, answered, closed,
            "whatsapp" if closed else "")  # fmt: skip


def survey_periods(*, offices: list) -> dict[tuple[int, int], int]:
    """(office id, year) → the office's survey round of that year."""
    from pencet.surveys.models import SurveyPeriod

    periods = {}
    for office in offices:
        for year in (2025, 2026, 2027):  # the last days' documents are handed over in January 2027
            period, _created = SurveyPeriod.objects.get_or_create(
                office=office, name=f"Survei {year}", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
            )
            periods[(office.pk, year)] = period.pk
    return periods


def office_sections_setup(*, offices: list, seed: int = 73) -> None:
    """Each office's admin imports semester 2026-1's population per village (CSV, through coverage_import, as on the
    import page) on 1 July 2026, and sets a transport cost per district (Rp30.000–100.000)."""
    from pencet.accounts.models import Role, User
    from pencet.accounts.services import user_create
    from pencet.regions.models import Region
    from pencet.reports.coverage import coverage_import
    from pencet.reports.impact import office_districts, travel_cost_set
    from pencet.reports.models_sections import PopulationImport

    rng = random.Random(seed)
    for n, office in enumerate(offices):
        admin = User.objects.filter(username=f"admin{n}").first()
        admin = admin or user_create(username=f"admin{n}", office=office, roles=[Role.ADMIN])
        lines = ["kode desa;penduduk;wajib KTP-el;anak 0-17;keluarga;pemilik KTP-el;KIA;KK;akta kelahiran"]
        villages = Region.objects.filter(level=4, code__startswith=f"{office.regency_id}.").order_by("code")
        for code in villages.values_list("code", flat=True):
            people = rng.randint(800, 6000)
            required, children, families = int(people * 0.7), int(people * 0.3), int(people * 0.28)
            lines.append(
                f"{code};{people};{required};{children};{families};{int(required * 0.24)};{int(children * 0.2)};"
                f"{int(families * 0.49)};{int(people * 0.22)}"
            )
        coverage_import(
            office=office, actor=admin, semester="2026-1", content="\n".join(lines).encode(), filename="dkb-2026-1.csv"
        )
        PopulationImport.objects.filter(office=office).update(imported_at=datetime(2026, 6, 30, 16, tzinfo=UTC))
        for district in office_districts(office=office):
            low = rng.choice((30_000, 40_000, 50_000))
            travel_cost_set(office=office, actor=admin, district=district, cost_min=low, cost_max=low + 50_000)
