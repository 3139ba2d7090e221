"""Reports on real volumes (issue 13, point 6): N applications with their events, the aggregates rebuilt from them,
then the whole dashboard and report_summary timed.

    .venv/bin/python bench/reports.py [--applications 200000] [--runs 5]                    # SQLite, temporary file
    .venv/bin/python bench/reports.py --applications 1000000 --postgres reportsB_bench   # PostgreSQL, dropped first

A fresh database, migrated, with province 73's regions (Sulawesi Selatan), the catalogue and --offices offices (the
first is Sinjai, 73.07). Applications are spread evenly over 2025 and 2026 (so a year is compared with a full year
before it) with random channel, service, village, priority and legal-deadline event dates; each one walks the
workflow with events at random moments: submit, 15 % returned and resubmitted (with a review item), 3 % rejected,
accept, SIAK input, approve, sign, 80 % picked up. Rows are written with COPY on PostgreSQL and executemany on
SQLite (no models, no subscribers), then `report_stats_rebuild_range` builds every aggregate from them, the way
`pencet reports-rebuild` does; its time is printed too.

Timed, warm (one discarded call, then the median of --runs): GET /laporan/ through the Django test client (every
section of the page: headline against the previous period, turnaround, overdue now, trend, channel, service,
district, village, officers, return reasons, timeliness, IKM) as the first office's leadership and, with several
offices, as the province's (its page of the 20 busiest villages, and with `desa=semua` every village); and
report_summary for every group_by and a day, week, month and year.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reports_sections_data as sections  # noqa: E402  (beside this script)

FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2026, 12, 31)
ON = date(2026, 6, 17)  # a Wednesday in the middle of the second year
WITA_OFFSET = timedelta(hours=8)
OPEN_FROM = datetime(2026, 11, 20, tzinfo=UTC)  # documents ready before then have all been handed over
ONLINE = ("whatsapp", "aparat_desa")
CHANNELS = (("whatsapp", 0.45), ("aparat_desa", 0.15), ("staff_intake", 0.1), ("walk_in", 0.3))
APP_COLUMNS = (
    "id", "office_id", "tracking_code", "status_token", "service_id", "channel", "status", "applicant_name", "nik",
    "kk_number", "phone", "email", "village_id", "priority_elderly", "priority_disability", "delivery_preference",
    "event_date", "note", "subject", "siak_reference", "siak_note", "close_reason", "created_at", "updated_at",
    "submitted_at", "status_changed_at", "closed_at", "disability_support",
)  # fmt: skip
EVENT_COLUMNS = ("id", "application_id", "actor_id", "actor_label", "kind", "from_status", "to_status", "note", "data",
                 "created_at")  # fmt: skip
ITEM_COLUMNS = ("id", "application_id", "requirement_id", "verdict", "reason", "reviewer_id", "resolved", "created_at")


def _database(args: argparse.Namespace) -> str:
    if not args.postgres:
        path = Path(args.sqlite) if args.sqlite else Path(tempfile.mkdtemp(prefix="pencet-bench-reports-")) / "b.db"
        if not args.reuse:
            path.unlink(missing_ok=True)
        os.environ["PENCET_VAR_DIR"] = str(path.parent)
        return f"sqlite:///{path}"
    if not args.reuse:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{args.postgres}"')
            connection.execute(f'CREATE DATABASE "{args.postgres}"')
    return f"postgresql://postgres@127.0.0.1:5432/{args.postgres}"


def _rebuild(offices: list, vendor: str) -> None:
    """`pencet reports-rebuild` per office: in parallel processes on PostgreSQL, one after the other on SQLite."""
    from pencet.reports.rebuild import reports_rebuild_office

    if vendor != "postgresql":
        for office in offices:
            reports_rebuild_office(office=office, date_from=FIRST_DAY, date_to=LAST_DAY)
        return
    command = [
        str(Path(sys.executable).with_name("pencet")),
        "reports-rebuild",
        "--from",
        str(FIRST_DAY),
        "--to",
        str(LAST_DAY),
    ]
    workers = [subprocess.Popen([*command, "--office", office.code], cwd=ROOT) for office in offices]  # noqa: S603
    for worker in workers:
        if worker.wait() != 0:
            raise SystemExit(f"reports-rebuild failed: {worker.args}")


class Writer:
    """Rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection, vendor: str) -> None:
        self.connection, self.vendor = connection, vendor

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                ops = self.connection.ops
                rows = [
                    tuple(ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in row)
                    for row in rows
                ]
                marks = ", ".join("%s" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _walk(
    rng: random.Random, submitted: datetime, delivered: bool
) -> tuple[list[tuple[str, str, datetime]], str, bool]:
    """(kind, to_status, moment) of one application's events, its final status and whether it was returned; a
    document asked for by e-mail/WhatsApp is sent (`delivered`), the others are picked up, except the 20 % of the
    last six weeks' still waiting at the counter (the open stages of "overdue now")."""
    minute = timedelta(minutes=1)
    at = submitted
    events = [("submit", "submitted", at)]
    returned = rng.random() < 0.15
    if returned:
        at += rng.uniform(2, 20) * minute
        events.append(("return", "returned", at))
        at += rng.uniform(30, 2880) * minute
        events.append(("resubmit", "submitted", at))
    at += rng.uniform(1, 20) * minute
    if rng.random() < 0.03:
        events.append(("reject", "rejected", at))
        return events, "rejected", returned
    events.append(("accept", "accepted", at))
    at += rng.uniform(5, 120) * minute
    events.append(("complete_siak", "awaiting_verification", at))
    at += rng.uniform(1, 10) * minute
    events.append(("approve", "awaiting_signature", at))
    at += rng.uniform(1, 25) * minute
    events.append(("sign", "ready", at))
    if delivered:
        at += rng.uniform(2, 40) * minute
        events.append(("deliver", "delivered", at))
        return events, "delivered", returned
    if submitted < OPEN_FROM or rng.random() < 0.8:
        at += rng.uniform(60, 4000) * minute
        events.append(("pick_up", "picked_up", at))
        return events, "picked_up", returned
    return events, "ready", returned


def _written_until(connection) -> tuple[date | None, dict[str, int]]:
    """The last day whose applications were written (each day is one transaction) and the largest ids so far: where
    a generation that stopped early goes on."""
    from pencet.cases.models import Application

    last = Application.objects.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
    largest = {}
    with connection.cursor() as cursor:
        for table in sections.ID_TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            largest[table] = cursor.fetchone()[0]
    return ((last + WITA_OFFSET).date() if last else None), largest


def _generate(args, connection, offices, people, services, requirements, villages) -> tuple[int, int]:
    from django.db import transaction

    writer = Writer(connection, connection.vendor)
    ids, targets, periods = sections.Ids(), sections.stage_minutes(), sections.survey_periods(offices=offices)
    last, largest = _written_until(connection)
    first = FIRST_DAY if last is None else last + timedelta(days=1)
    rng = random.Random(13 + (first - FIRST_DAY).days)
    days = (LAST_DAY - FIRST_DAY).days + 1
    per_day = args.applications / (days * len(offices))
    kinds_actor = {"return": "review", "reject": "review", "accept": "review", "complete_siak": "siak",
                   "approve": "verify", "sign": "sign", "pick_up": "review"}  # fmt: skip
    weights = [w for _c, w in CHANNELS]
    app_id, event_id, item_id = (largest[t] for t in ("cases_application", "cases_event", "cases_reviewitem"))
    ids.timer, ids.response, ids.answer, ids.complaint = (
        largest[t] for t in ("cases_stagetimer", "surveys_surveyresponse", "surveys_surveyanswer", "surveys_complaint")
    )
    carry = 0.0
    for n in range((first - FIRST_DAY).days, days):
        day = FIRST_DAY + timedelta(days=n)
        apps, events, items, timers, responses, answers, complaints = [], [], [], [], [], [], []
        for office in offices:
            carry += per_day
            count, carry = int(carry), carry - int(carry)
            for _ in range(count):
                app_id += 1
                service_id, deadline = rng.choice(services)
                submitted = (
                    datetime(day.year, day.month, day.day, tzinfo=UTC)
                    - WITA_OFFSET
                    + timedelta(hours=8, minutes=rng.uniform(0, 480))
                )
                channel = rng.choices([c for c, _w in CHANNELS], weights)[0]
                # Online applicants mostly ask for the document by WhatsApp or e-mail (the trips impact counts).
                preference = rng.choice(("whatsapp", "email")) if channel in ONLINE and rng.random() < 0.6 else "pickup"
                walk, status, returned = _walk(rng, submitted, delivered=preference != "pickup")
                village = rng.choice(villages[office.pk]) if rng.random() < 0.9 else None
                event_date = day - timedelta(days=rng.randint(0, 120)) if deadline else None
                last = walk[-1][2]
                closed = status in ("picked_up", "delivered", "rejected")
                apps.append((
                    app_id, office.pk, f"{office.code}-{app_id:08d}", f"t{app_id:015d}", service_id,
                    channel, status, "Pemohon", "7307011234567890", "",
                    "", "", village, rng.random() < 0.04, rng.random() < 0.01, preference, event_date, "", "{}", "",
                    "", "", submitted, last, submitted, last, last if closed else None, "",
                ))  # fmt: skip
                walked = []
                for kind, to_status, moment in walk:
                    event_id += 1
                    walked.append((event_id, kind, moment))
                    actor = people[office.pk][kinds_actor[kind]] if kind in kinds_actor else None
                    events.append((event_id, app_id, actor, "" if actor else "warga", kind, "", to_status, "", "{}",
                                   moment))  # fmt: skip
                timers += sections.timer_rows(ids=ids, application_id=app_id, office_id=office.pk, events=walked,
                                              targets=targets[service_id], pickup=preference == "pickup")  # fmt: skip
                if status in ("picked_up", "delivered") and rng.random() < sections.SURVEY_SHARE:
                    done_on = (last + WITA_OFFSET).date()
                    one, nine = sections.survey_rows(ids=ids, rng=rng, office_id=office.pk, service_id=service_id,
                                                     period_id=periods[(office.pk, done_on.year)], channel=channel,
                                                     day=done_on)  # fmt: skip
                    responses += one
                    answers += nine
                if rng.random() < sections.COMPLAINT_SHARE:
                    complaints.append(sections.complaint_row(ids=ids, rng=rng, office_id=office.pk,
                                                             application_id=app_id, at=last))  # fmt: skip
                    if kind == "return":
                        item_id += 1
                        requirement = rng.choice(requirements[service_id]) if requirements.get(service_id) else None
                        if requirement:
                            items.append((item_id, app_id, requirement, rng.choice(["missing", "unreadable"]), "",
                                          actor, True, moment))  # fmt: skip
        with transaction.atomic():  # a commit a day: one fsync each, not one per row
            writer.write("cases_application", APP_COLUMNS, apps)
            writer.write("cases_event", EVENT_COLUMNS, events)
            writer.write("cases_reviewitem", ITEM_COLUMNS, items)
            writer.write("cases_stagetimer", sections.TIMER_COLUMNS, timers)
            writer.write("surveys_surveyresponse", sections.RESPONSE_COLUMNS, responses)
            writer.write("surveys_surveyanswer", sections.ANSWER_COLUMNS, answers)
            writer.write("surveys_complaint", sections.COMPLAINT_COLUMNS, complaints)
    _sequences_reset(connection)
    from pencet.reports.models_sections import PopulationImport

    if not PopulationImport.objects.exists():
        sections.office_sections_setup(offices=offices)
    return app_id, event_id


def _sequences_reset(connection) -> None:
    """The tables were written with explicit ids: PostgreSQL's sequences start after them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in sections.ID_TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")


def _setup(args: argparse.Namespace) -> None:
    """Regions of province 73, the catalogue, the offices with their officers, the two leaders."""
    from pencet.accounts.models import Office, Role
    from pencet.accounts.services import user_create
    from pencet.catalog.services import catalog_seed
    from pencet.regions.models import Region
    from pencet.regions.services import region_import

    region_import(prefix="73")
    catalog_seed()
    regencies = ["73.07", *Region.objects.filter(level=2, code__startswith="73.").exclude(code="73.07")
                 .order_by("code").values_list("code", flat=True)][: args.offices]  # fmt: skip
    roles = {"review": Role.SERVICE_OFFICER, "siak": Role.OPERATOR, "verify": Role.VERIFIER, "sign": Role.SIGNER}
    for n, regency in enumerate(regencies):
        office = Office.objects.create(name=f"Disdukcapil {regency}", code=f"K{n:02d}", regency_id=regency)
        for job, role in roles.items():
            user_create(username=f"{job}{n}", office=office, roles=[role])
        if n == 0:
            user_create(username="eka", office=office, roles=[Role.LEADERSHIP], password="bench-only-123")
    province = user_create(username="rahmat", office=None, roles=[Role.LEADERSHIP], password="bench-only-123")
    province.report_region_id = "73"
    province.save()


def _people(offices: list) -> tuple:
    from pencet.accounts.models import User
    from pencet.catalog.models import Requirement, Service
    from pencet.regions.models import Region

    people = {
        office.pk: {job: User.objects.get(username=f"{job}{n}").pk for job in ("review", "siak", "verify", "sign")}
        for n, office in enumerate(offices)
    }
    villages = {
        office.pk: list(
            Region.objects.filter(level=4, code__startswith=f"{office.regency_id}.").values_list("pk", flat=True)
        )
        for office in offices
    }
    services = list(Service.objects.values_list("pk", "legal_deadline_days"))
    requirements: dict[int, list[int]] = {}
    for pk, service_id in Requirement.objects.values_list("pk", "service_id"):
        requirements.setdefault(service_id, []).append(pk)
    return people, services, requirements, villages


def _timed(call, runs: int) -> float:
    return _measured(call, runs)[0]


def _measured(call, runs: int) -> tuple[float, float]:
    """Median wall and median CPU (this process: Python, templates, the SQLite engine; not a PostgreSQL server's)
    milliseconds of `runs` warm calls."""
    call()  # warm
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _page_parts(user, kind: str) -> dict:
    """Each part of report_dashboard called alone (warm, then the median of 3): where a slow page spends its time."""
    from pencet.reports import dashboard
    from pencet.reports import sections as page
    from pencet.reports.selectors import report_offices_for, report_summary

    offices = list(report_offices_for(user=user))
    period = dashboard.period_for(kind=kind, on=ON)
    span = {"date_from": period.date_from, "date_to": period.date_to}
    before = {"date_from": period.previous_from, "date_to": period.previous_to}
    from pencet.reports.selectors import report_summaries

    several = len(offices) > 1
    parts = {
        "summary channel" + (" + office" if several else ""): lambda: report_summaries(
            user=user, group_bys=("channel", "office") if several else ("channel",), **span
        ),
        "summary village + district": lambda: report_summaries(
            user=user, group_bys=("village", "district"), measures=dashboard.TABLE_MEASURES, **span
        ),
    }
    for g in ("service", "officer"):
        parts[f"summary {g}"] = lambda g=g: report_summary(
            user=user, group_by=g, measures=dashboard.TABLE_MEASURES, **span
        )
    parts["summary channel (previous)"] = lambda: report_summary(user=user, group_by="channel", **before)
    parts["summary trend"] = lambda: report_summary(
        user=user, group_by="month" if kind == "year" else "day", durations=False, **span
    )
    if not several:
        from pencet.surveys.selectors import ikm_headline

        parts["ikm"] = lambda: ikm_headline(office=offices[0], **span)
    parts["return reasons"] = lambda: dashboard.return_reasons_top(offices=offices, **span)
    parts["timeliness"] = lambda: dashboard.timeliness(offices=offices, **span)
    parts["coverage"] = lambda: page.coverage_report(offices=offices)
    parts["impact (both periods)"] = lambda: (page.impact_report(offices=offices, **span),
                                              page.impact_report(offices=offices, **before))  # fmt: skip
    parts["complaints (both periods)"] = lambda: (page.complaint_figures(offices=offices, **span),
                                                  page.complaint_figures(offices=offices, **before))  # fmt: skip
    parts["SLA per stage"] = lambda: page.sla_compliance(offices=offices, **span)
    parts["overdue now (list)"] = lambda: page.sla_overdue_now(offices=offices)
    found = {}
    for name, call in parts.items():
        wall, cpu = _measured(call, 3)
        found[name] = (wall, cpu, _queries(call))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offices", type=int, default=1, help="offices of province 73 sharing the applications")
    parser.add_argument("--postgres", metavar="DATABASE", help="a PostgreSQL database name to (re)create and use")
    parser.add_argument("--sqlite", metavar="PATH", help="the SQLite file (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true", help="keep the generated applications, rebuild and time")
    parser.add_argument("--no-rebuild", action="store_true", help="keep the aggregates as they are (time only)")
    parser.add_argument("--generate-only", action="store_true", help="write the source rows, then stop (no rebuild)")
    parser.add_argument("--parts", action="store_true", help="also time each part of the page once (a year)")
    parser.add_argument("--page-only", action="store_true", help="time the dashboard page only, not report_summary")
    args = parser.parse_args()
    os.environ.update(
        PENCET_DEBUG="1", PENCET_OTP_REQUIRED="0", PENCET_ALLOWED_HOSTS="testserver", DATABASE_URL=_database(args)
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from pencet.accounts.models import Office, User
    from pencet.cases.models import Application
    from pencet.cases.models_clocks import StageTimer
    from pencet.reports.dashboard import period_for
    from pencet.reports.models import DailyStat, OfficerStat
    from pencet.reports.models_sections import ClosureStat, PopulationImport, StageStat, VillagePopulation
    from pencet.reports.selectors import GROUP_BYS, report_summary
    from pencet.surveys.models import Complaint, SurveyResponse

    call_command("migrate", verbosity=0)
    reused = args.reuse and Office.objects.exists()
    if not reused:
        _setup(args)
    offices = list(Office.objects.order_by("code"))
    leader, province = User.objects.get(username="eka"), User.objects.get(username="rahmat")
    unfinished = reused and (not PopulationImport.objects.exists() or _written_until(connection)[0] < LAST_DAY)
    if not reused or unfinished:  # a generation that stopped early goes on from the day after its last
        if unfinished:
            print(f"{connection.vendor}: the generation stopped after {_written_until(connection)[0]}: going on")
        started = time.perf_counter()
        applications, events = _generate(args, connection, offices, *_people(offices))
        generated = time.perf_counter() - started
        print(f"{connection.vendor}: {applications:,} applications, {events:,} events written in {generated:.0f} s")
    if args.generate_only:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Application.objects.count():,} applications in {len(offices)} office(s)")
    started = time.perf_counter()
    if not args.no_rebuild:
        _rebuild(offices, connection.vendor)
    rebuilt = time.perf_counter() - started
    days = ((LAST_DAY - FIRST_DAY).days + 1) * len(offices)
    print(
        f"aggregates rebuilt in {rebuilt:.0f} s ({rebuilt / days * 1000:.0f} ms per office-day, "
        f"{'one process per office' if connection.vendor == 'postgresql' else 'one process'}): "
        f"{DailyStat.objects.count():,} DailyStat rows, {OfficerStat.objects.count():,} OfficerStat rows, "
        f"{ClosureStat.objects.count():,} ClosureStat rows (days, months), {StageStat.objects.count():,} StageStat rows"
    )
    print(
        f"section sources: {StageTimer.objects.count():,} stage timers, {SurveyResponse.objects.count():,} survey "
        f"responses, {Complaint.objects.count():,} complaints, {VillagePopulation.objects.count():,} villages imported"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    load = os.getloadavg()
    print(f"load average before timing: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")

    viewers = [("office", leader)] + ([("province", province)] if len(offices) > 1 else [])
    # The province's page lists its 20 busiest villages; `desa=semua` every village (the page before it folded).
    pages = [(name, user, {}) for name, user in viewers]
    if len(offices) > 1:
        pages.append(("province, every village (desa=semua)", province, {"desa": "semua"}))
    print("\n| dashboard GET /laporan/, median wall (CPU of this process) · queries | day | week | month | year |")
    print("|---|---|---|---|---|")
    for name, user, extra in pages:
        client = Client()
        client.force_login(user)
        cells = []
        for kind in ("day", "week", "month", "year"):

            def get(kind=kind, client=client, extra=extra):
                response = client.get("/laporan/", {"periode": kind, "tanggal": ON.isoformat(), **extra})
                assert response.status_code == 200, response.status_code

            wall, cpu = _measured(get, args.runs)
            cells.append(f"{wall:.0f} ms ({cpu:.0f}) · {_queries(get)} q")
        print(f"| {name} ({len(offices) if user == province else 1} office(s)) | " + " | ".join(cells) + " |")
    if args.parts:
        for name, user in viewers:
            print(f"\n| {name}, a year: part of the page (median of 3) | wall | CPU | queries |\n|---|---|---|---|")
            for part, (wall, cpu, count) in _page_parts(user, "year").items():
                print(f"| {part} | {wall:.0f} ms | {cpu:.0f} ms | {count} |")
    if args.page_only:
        return

    print("\n| report_summary (office) | day | week | month | year |\n|---|---|---|---|---|")
    for group_by in GROUP_BYS:
        cells = []
        for kind in ("day", "week", "month", "year"):
            period = period_for(kind=kind, on=ON)

            def call(group_by=group_by, period=period):
                report_summary(user=leader, date_from=period.date_from, date_to=period.date_to, group_by=group_by)

            cells.append(f"{_timed(call, args.runs):.0f} ms")
        print(f"| {group_by} | " + " | ".join(cells) + " |")
    year = report_summary(user=leader, date_from=date(2026, 1, 1), date_to=LAST_DAY, group_by="channel")["total"]
    shown = ("received", "online_share", "same_day_rate", "return_rate", "review_median_minutes", "review_p90_minutes")
    print("\n2026 at the first office:", json.dumps({k: year[k] for k in shown}))


if __name__ == "__main__":
    main()
