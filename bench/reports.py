"""Read path of the reports (issue 13, point 6): report_summary over the daily aggregates of N applications.

    .venv/bin/python bench/reports.py [--applications 200000] [--runs 5]

A fresh SQLite database in a temporary folder, migrated, with Sinjai's regions, the catalogue and one office. The
aggregates (DailyStat rows) of N applications spread over 2026 are written directly, as the subscriber would have
left them (random channel, service, village, outcomes and durations); the applications themselves are not created,
so this measures the read path only, not the maintenance. Prints the median of --runs warm calls per query.
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
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="pencet-bench-reports-")
    os.environ.update(PENCET_DEBUG="1", PENCET_VAR_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pencet.accounts.models import Office, Role
    from pencet.accounts.services import user_create
    from pencet.catalog.models import Service
    from pencet.catalog.services import catalog_seed
    from pencet.regions.models import Region
    from pencet.regions.services import region_import
    from pencet.reports.models import DailyStat
    from pencet.reports.selectors import report_summary

    call_command("migrate", verbosity=0)
    region_import(prefix="73.07")
    catalog_seed()
    office = Office.objects.create(name="Disdukcapil Kabupaten Sinjai", code="SNJ", regency_id="73.07")
    leader = user_create(username="eka", office=office, roles=[Role.LEADERSHIP], password="bench-only-123")
    services = list(Service.objects.values_list("pk", flat=True))
    villages = list(Region.objects.filter(code__startswith="73.07.", level=4).values_list("pk", flat=True))
    channels = ["whatsapp", "aparat_desa", "staff_intake", "walk_in"]
    rng = random.Random(13)
    started = time.perf_counter()
    per_day = args.applications // 365
    for n in range(365):
        day = date(2026, 1, 1) + timedelta(days=n)
        buckets: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
        for _ in range(per_day):
            key = (rng.choice(channels), rng.choice(services), rng.choice(villages))
            row = buckets[key]
            row["received"] += 1
            ready = rng.random() < 0.9
            row["ready"] += ready
            row["same_day"] += ready and rng.random() < 0.7
            row["returned"] += rng.random() < 0.15
            for name, spread in (
                ("review_minutes", 20),
                ("siak_to_signed_minutes", 30),
                ("submission_to_ready_minutes", 600),
            ):
                row.setdefault(name, defaultdict(int))
                row[name][f"{rng.uniform(1, spread):.1f}"] += 1
        DailyStat.objects.bulk_create(
            DailyStat(
                office=office,
                day=day,
                channel=c,
                service_id=s,
                village_id=v,
                **{k: (dict(x) if isinstance(x, dict) else x) for k, x in row.items()},
            )
            for (c, s, v), row in buckets.items()
        )
    print(
        f"{args.applications} applications → {DailyStat.objects.count()} DailyStat rows "
        f"in {time.perf_counter() - started:.0f} s"
    )
    for label, start, end in (
        ("day", date(2026, 6, 1), date(2026, 6, 1)),
        ("month", date(2026, 6, 1), date(2026, 6, 30)),
        ("year", date(2026, 1, 1), date(2026, 12, 31)),
    ):
        for group_by in ("channel", "service", "district", "day"):
            times = []
            for _ in range(args.runs + 1):
                t = time.perf_counter()
                report_summary(user=leader, date_from=start, date_to=end, group_by=group_by)
                times.append((time.perf_counter() - t) * 1000)
            print(f"{label:5} {group_by:8} median {statistics.median(times[1:]):7.1f} ms")


if __name__ == "__main__":
    main()
