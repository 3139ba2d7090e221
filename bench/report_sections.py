"""Read path of the dashboard's sections (issue 13: coverage, impact, complaints, SLA per stage, overdue now) over the
aggregates of N applications a year.

    .venv/bin/python bench/report_sections.py [--applications 200000] [--open 2000] [--runs 5]

A fresh SQLite database in a temporary folder, migrated, with Sinjai's regions, the catalogue and one office. Written
directly, as the subscribers would have left them: the ClosureStat rows of N applications handed over in 2026
(random channel, service, village, delivered or picked up), the StageStat rows of their stages, a population import
of every village, a travel cost per district, and --open running applications of which half are past their stage's
due moment. Prints the median of --runs warm calls of report_sections for a day, a month and a year.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--open", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parts", action="store_true", help="also time each section once")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="pencet-bench-sections-")
    os.environ.update(PENCET_DEBUG="1", PENCET_VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
    import django

    django.setup()
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from pencet.accounts.models import Office
    from pencet.cases.models import Application, Status
    from pencet.cases.models_clocks import StageTimer
    from pencet.catalog.models import Service, Stage
    from pencet.catalog.services import catalog_seed
    from pencet.regions.models import Region
    from pencet.regions.services import region_import
    from pencet.reports.dashboard import period_for
    from pencet.reports.models_sections import (
        ClosureStat,
        PopulationImport,
        StageStat,
        TravelCost,
        VillagePopulation,
    )
    from pencet.reports.sections import report_sections

    call_command("migrate", verbosity=0)
    region_import(prefix="73.07")
    catalog_seed()
    office = Office.objects.create(name="Disdukcapil Kabupaten Sinjai", code="SNJ", regency_id="73.07")
    services = list(Service.objects.values_list("pk", flat=True))
    villages = list(Region.objects.filter(code__startswith="73.07.", level=4).values_list("pk", flat=True))
    districts = list(Region.objects.filter(parent_id="73.07", level=3).values_list("pk", flat=True))
    channels = ["whatsapp", "aparat_desa", "staff_intake", "walk_in"]
    rng = random.Random(13)
    started = time.perf_counter()
    closures: dict[tuple, int] = defaultdict(int)
    per_day = args.applications // 365
    for n in range(365):
        day = date(2026, 1, 1) + timedelta(days=n)
        for _ in range(per_day):
            key = (day, rng.choice(channels), rng.choice(services), rng.choice(villages),
                   rng.choice(["delivered", "picked_up"]))  # fmt: skip
            closures[key] += 1
    ClosureStat.objects.bulk_create(
        (
            ClosureStat(office=office, day=d, channel=c, service_id=s, village_id=v, how=h, count=k)
            for (d, c, s, v, h), k in closures.items()
        ),
        batch_size=5000,
    )
    from pencet.reports.section_stats import section_rollups_from_closures

    # The readers' roll-ups (impact, coverage) and the month rows, as the subscriber and the rebuild write them.
    section_rollups_from_closures(office=office, first=date(2026, 1, 1), last=date(2026, 12, 31))
    StageStat.objects.bulk_create(
        StageStat(
            office=office, day=date(2026, 1, 1) + timedelta(days=n), stage=stage, total=per_day, met=int(per_day * 0.9)
        )  # fmt: skip
        for n in range(365)
        for stage in (Stage.REVIEW, Stage.FORUM, Stage.SIAK, Stage.VERIFICATION, Stage.SIGNATURE, Stage.DELIVERY)
    )
    population = PopulationImport.objects.create(
        office=office, semester="2026-1", imported_at=datetime(2026, 7, 1, 8, tzinfo=ZoneInfo("Asia/Makassar"))
    )
    VillagePopulation.objects.bulk_create(
        VillagePopulation(
            population_import=population,
            village_id=v,
            population=3000,
            ktp_required=2100,
            children=900,
            families=800,
            ktp_owners=1800,
            kia_owners=200,
            kk_owners=700,
            akta_owners=1500,
        )  # fmt: skip
        for v in villages
    )
    TravelCost.objects.bulk_create(
        TravelCost(office=office, district_id=d, cost_min=30000, cost_max=100000) for d in districts
    )
    now = datetime(2026, 12, 15, 10, tzinfo=ZoneInfo("Asia/Makassar"))
    opened = Application.objects.bulk_create(
        Application(office=office, service_id=rng.choice(services), tracking_code=f"SNJ-2612-{n:05d}",
                    status=Status.SUBMITTED, submitted_at=now - timedelta(hours=3), village_id=rng.choice(villages))
        for n in range(args.open)
    )  # fmt: skip
    StageTimer.objects.bulk_create(
        StageTimer(application=a, office=office, stage=Stage.REVIEW, started_at=now - timedelta(hours=3),
                   target_minutes=15, due_at=now - timedelta(minutes=30) if n % 2 else now + timedelta(minutes=30))
        for n, a in enumerate(opened)
    )  # fmt: skip
    print(
        f"written: {ClosureStat.objects.count():,} ClosureStat rows of {args.applications:,} applications, "
        f"{len(villages)} villages, {args.open:,} open applications in {time.perf_counter() - started:.1f} s"
    )
    offices = [office]
    for kind, on in (("day", date(2026, 11, 2)), ("month", date(2026, 11, 2)), ("year", date(2026, 11, 2))):
        period = period_for(kind=kind, on=on)
        report_sections(offices=offices, period=period, now=now)  # warm
        times = []
        for _run in range(args.runs):
            t = time.perf_counter()
            report_sections(offices=offices, period=period, now=now)
            times.append((time.perf_counter() - t) * 1000)
        print(f"report_sections {kind:5s}: median {statistics.median(times):.0f} ms (runs: {args.runs})")
        if args.parts:
            for name, call in _parts(offices, period, now).items():
                t = time.perf_counter()
                call()
                print(f"    {name}: {(time.perf_counter() - t) * 1000:.0f} ms")


def _parts(offices, period, now) -> dict:
    from pencet.reports.complaint_stats import complaint_figures
    from pencet.reports.coverage import coverage_report
    from pencet.reports.impact import impact_report
    from pencet.reports.sla import sla_compliance, sla_overdue_now

    span = {"date_from": period.date_from, "date_to": period.date_to}
    return {
        "coverage": lambda: coverage_report(offices=offices),
        "impact": lambda: impact_report(offices=offices, **span),
        "complaints": lambda: complaint_figures(offices=offices, now=now, **span),
        "sla": lambda: sla_compliance(offices=offices, **span),
        "overdue now": lambda: sla_overdue_now(offices=offices, now=now),
    }


if __name__ == "__main__":
    main()
