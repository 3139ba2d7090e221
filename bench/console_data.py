"""The office's history for bench/console.py: N applications over two years with attachments, events, review
verdicts, running stage timers and the daily report aggregates, written fast.

Rows are built as tuples and written in batches: `COPY … FROM STDIN` on PostgreSQL, `executemany` of one
`INSERT` on SQLite (its connection with `synchronous=OFF` while generating; the server keeps the production
PRAGMAs). Column names come from the models, ids are given explicitly and the sequences are reset at the end.
Must run inside a configured Django process (django.setup() done).
"""

from __future__ import annotations

import random
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction

NAMES_FIRST = [
    "Sari", "Andi", "Nur", "Muhammad", "Rahma", "Syamsul", "Hasnah", "Irfan", "Dewi", "Baso", "Fitri", "Ahmad",
    "Wahyuni", "Kurniawan", "Siti", "Hendra", "Ayu", "Rudi", "Indah", "Arif", "Yusuf", "Nurul", "Ilham", "Rini",
    "Asriani", "Haeruddin", "Jumriah", "Bahtiar", "Suriani", "Darmawan",
]  # fmt: skip
NAMES_LAST = [
    "Wahyuni", "Baso", "Hayati", "Ilham", "Sari", "Bahri", "Tahir", "Rahman", "Lestari", "Saputra", "Amir",
    "Hamzah", "Pratiwi", "Syam", "Latif", "Arsyad", "Mansyur", "Ramadhani", "Kadir", "Nurdin", "Said", "Yunus",
]  # fmt: skip
# Share of applications by service code (the rest spread evenly over the other services).
SERVICE_WEIGHTS = {
    "akta-kelahiran": 22, "kk-perubahan": 14, "ktp-hilang-rusak": 10, "kk-baru": 8, "kia": 8, "akta-kematian": 6,
    "ktp-perubahan": 5, "pindah-keluar": 4, "pindah-datang": 4, "kk-hilang-rusak": 4, "akta-perkawinan": 2,
}  # fmt: skip
CHANNELS = (("whatsapp", 60), ("aparat_desa", 15), ("staff_intake", 10), ("walk_in", 15))
# What a recent application (last RECENT_DAYS days) is now; older ones are closed, except OLD_OPEN_SHARE of them.
RECENT_DAYS = 14
RECENT_MIX = (
    ("draft", 4), ("submitted", 9), ("returned", 10), ("awaiting_decision", 2), ("accepted", 6), ("in_process", 6),
    ("awaiting_verification", 5), ("awaiting_signature", 5), ("ready", 18), ("picked_up", 20), ("delivered", 10),
    ("rejected", 2), ("cancelled", 2), ("expired", 1),
)  # fmt: skip
OLD_OPEN_SHARE = 0.004
OLD_OPEN_MIX = (("returned", 5), ("ready", 4), ("draft", 1))
CLOSED_MIX = (("picked_up", 58), ("delivered", 34), ("rejected", 3), ("cancelled", 3), ("expired", 2))
# The path of events up to each status; every application has "created" first.
PATH = ("submit", "accept", "claim", "complete_siak", "approve", "sign")
REACHED = {
    "draft": 0, "submitted": 1, "returned": 1, "awaiting_decision": 1, "accepted": 2, "in_process": 3,
    "awaiting_verification": 4, "awaiting_signature": 5, "ready": 6, "delivered": 6, "picked_up": 6,
    "rejected": 1, "cancelled": 1, "expired": 1,
}  # fmt: skip
STATUS_AFTER = {
    "submit": "submitted", "accept": "accepted", "claim": "in_process", "complete_siak": "awaiting_verification",
    "approve": "awaiting_signature", "sign": "ready",
}  # fmt: skip
FINAL_EVENT = {
    "delivered": "deliver", "picked_up": "pick_up", "rejected": "reject", "cancelled": "cancel", "expired": "expire",
    "returned": "return", "awaiting_decision": "refer_late",
}  # fmt: skip
OPEN = {"submitted", "returned", "awaiting_decision", "accepted", "in_process", "awaiting_verification",
        "awaiting_signature", "ready"}  # fmt: skip
CLOSED = {"delivered", "picked_up", "rejected", "cancelled", "expired"}
LOCAL = timedelta(hours=8)  # Asia/Makassar, the office's zone


@dataclass
class Generated:
    applications: int
    attachments: int
    events: int
    timers: int
    daily_stats: int
    seconds: float


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Writer:
    """Batched inserts of tuples into one model's table, COPY on PostgreSQL."""

    def __init__(self, model: type, fields: list[str]) -> None:
        self.table = model._meta.db_table
        self.columns = [model._meta.get_field(f).column for f in fields]
        self.postgres = connection.vendor == "postgresql"
        self.count = 0

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        self.count += len(rows)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        if self.postgres:
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            connection.connection.executemany(f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})', rows)


def _moment(value: datetime | None, postgres: bool) -> object:
    if value is None or postgres:
        return value
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def office_history_generate(
    *, office: object, users: dict[str, object], village_staff_villages: list[int], count: int, seed: int = 15
) -> Generated:
    """Write `count` applications of `office` created over the two years up to now (oldest first, ids in that
    order). `users`: persona key → User (petugas, operator, verifier, signer, village)."""
    from pencet.cases.clocks import STATUS_STAGE
    from pencet.cases.models import Application, Attachment, Event, ReviewItem
    from pencet.cases.models_clocks import StageTimer
    from pencet.catalog.models import Requirement, Service
    from pencet.catalog.services import service_stage_minutes
    from pencet.regions.models import Region
    from pencet.reports.models import DailyStat

    started = time.perf_counter()
    rng = random.Random(seed)
    postgres = connection.vendor == "postgresql"
    mom = (lambda v: v) if postgres else (lambda v: _moment(v, False))

    services = list(Service.objects.all())
    weights = [SERVICE_WEIGHTS.get(s.code, 1) for s in services]
    requirements: dict[int, list[int]] = defaultdict(list)
    for pk, service_id in Requirement.objects.order_by("order", "pk").values_list("pk", "service_id"):
        requirements[service_id].append(pk)
    stage_minutes = {
        (s.pk, stage): service_stage_minutes(service=s, stage=stage)
        for s in services
        for stage in STATUS_STAGE.values()
    }
    villages = list(Region.objects.filter(code__startswith=office.regency_id + ".", level=4).values_list("pk", "code"))
    district_of = {pk: code.split(".")[2] for pk, code in villages}
    village_ids = [pk for pk, _ in villages]

    app_w = _Writer(
        Application,
        [
            "id", "office", "tracking_code", "status_token", "service", "channel", "status", "applicant_name", "nik",
            "kk_number", "phone", "email", "village", "priority_elderly", "priority_disability",
            "delivery_preference", "event_date", "note", "subject", "submitted_by", "claimed_by", "claimed_at",
            "siak_reference", "siak_note", "close_reason", "created_at", "updated_at", "submitted_at",
            "status_changed_at", "due_at", "closed_at", "disability_support",
        ],
    )  # fmt: skip
    att_w = _Writer(
        Attachment,
        ["application", "requirement", "file", "content_type", "size", "sha256", "original_name", "quality", "wamid",
         "is_current", "created_at"],
    )  # fmt: skip
    ev_w = _Writer(
        Event, ["application", "actor", "actor_label", "kind", "from_status", "to_status", "note", "data", "created_at"]
    )
    timer_w = _Writer(StageTimer, ["application", "office", "stage", "started_at", "target_minutes", "due_at"])
    review_w = _Writer(ReviewItem, ["application", "requirement", "verdict", "reason", "resolved", "created_at"])
    now = datetime.now(UTC).replace(microsecond=0)
    first = now - timedelta(days=730)
    span = (now - first).total_seconds()
    serials: dict[str, int] = defaultdict(int)
    next_id = (Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    staff = {
        "submit": None, "accept": users["petugas"].pk, "claim": users["operator"].pk,
        "complete_siak": users["operator"].pk, "approve": users["verifier"].pk, "sign": users["signer"].pk,
        "deliver": users["petugas"].pk, "pick_up": users["petugas"].pk, "reject": users["petugas"].pk,
        "return": users["petugas"].pk, "refer_late": users["petugas"].pk, "cancel": None, "expire": None,
    }  # fmt: skip
    village_staff_villages = set(village_staff_villages)
    batch = 10_000

    if not postgres:
        connection.ensure_connection()
        connection.connection.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        for start in range(0, count, batch):
            apps, atts, events, timers, reviews = [], [], [], [], []
            for i in range(start, min(count, start + batch)):
                pk = next_id + i
                created = first + timedelta(seconds=span * (i + rng.random()) / count)
                age_days = (now - created).total_seconds() / 86400
                if age_days <= RECENT_DAYS:
                    status = _weighted(rng, RECENT_MIX)
                elif rng.random() < OLD_OPEN_SHARE:
                    status = _weighted(rng, OLD_OPEN_MIX)
                else:
                    status = _weighted(rng, CLOSED_MIX)
                service = rng.choices(services, weights=weights)[0]
                channel = _weighted(rng, CHANNELS)
                village = rng.choice(village_ids)
                if channel == "aparat_desa" and rng.random() < 0.5 and village_staff_villages:
                    village = rng.choice(sorted(village_staff_villages))
                period = (created + LOCAL).strftime("%y%m")
                serials[period] += 1
                code = f"{office.code}-{period}-{serials[period]:04d}"
                female = rng.random() < 0.5
                born = created - timedelta(days=rng.randrange(17 * 365, 70 * 365))
                nik = (
                    f"7307{district_of[village][-2:]}{born.day + (40 if female else 0):02d}{born.month:02d}"
                    f"{born.year % 100:02d}{rng.randrange(1, 9999):04d}"
                )
                kk = f"7307{district_of[village][-2:]}{rng.randrange(10**9, 10**10)}"
                phone = f"628{rng.randrange(11, 59)}{rng.randrange(10**7, 10**8)}"
                name = f"{rng.choice(NAMES_FIRST)} {rng.choice(NAMES_LAST)}"
                event_date = None
                if service.legal_deadline_days:
                    event_date = (created - timedelta(days=rng.choice((2, 5, 10, 20, 40, 55, 80, 200)))).date()
                elderly = rng.random() < 0.04
                disability = rng.random() < 0.01
                reached = REACHED[status]
                submitted = created + timedelta(minutes=rng.uniform(2, 120)) if reached else None
                # The moments of each step on the path, minutes to hours apart, never past now.
                steps, moment = [], submitted
                returned_once = reached >= 1 and (status == "returned" or rng.random() < 0.12)
                for kind in PATH[:reached]:
                    if kind != "submit":
                        moment = min(now, moment + timedelta(minutes=rng.expovariate(1 / 90)))
                    steps.append((kind, moment))
                final = FINAL_EVENT.get(status)
                if final:
                    moment = min(now, (moment or created) + timedelta(minutes=rng.expovariate(1 / 600)))
                    steps.append((final, moment))
                changed = steps[-1][1] if steps else created
                due = submitted + timedelta(hours=rng.choice((4, 24, 72))) if submitted else None
                claimed = users["operator"].pk if reached >= 3 and status not in ("rejected", "cancelled") else None
                claimed_at = steps[2][1] if claimed else None
                if channel == "aparat_desa":
                    submitted_by = users["village"].pk
                elif channel in ("staff_intake", "walk_in"):
                    submitted_by = users["petugas"].pk
                else:
                    submitted_by = None
                apps.append(
                    (
                        pk, office.pk, code, secrets.token_urlsafe(16), service.pk, channel, status, name, nik, kk,
                        phone, "", village, elderly, disability, "pickup" if rng.random() < 0.7 else "whatsapp",
                        event_date if postgres or event_date is None else event_date.isoformat(), "",
                        "{}", submitted_by, claimed, mom(claimed_at), "SIAK/2026/" + code[-5:] if reached >= 4 else "",
                        "", "Berkas tidak sesuai" if status == "rejected" else "", mom(created), mom(changed),
                        mom(submitted), mom(changed), mom(due), mom(changed) if status in CLOSED else None, "",
                    )
                )  # fmt: skip
                for n, requirement in enumerate(requirements[service.pk][:3]):
                    at = created + timedelta(seconds=30 * (n + 1))
                    atts.append(
                        (
                            pk, requirement, f"attachments/{at:%Y/%m}/{pk}-{n}.jpg", "image/jpeg",
                            rng.randrange(90_000, 900_000), f"{rng.getrandbits(256):064x}", "", "{}", "", True, mom(at),
                        )
                    )  # fmt: skip
                events.append((pk, None, "warga", "created", "", "draft", "", "{}", mom(created)))
                previous = "draft"
                for kind, at in steps:
                    to = STATUS_AFTER.get(kind, status)
                    if kind == "submit" and returned_once and status != "returned":
                        events.append((pk, staff["return"], "", "return", "submitted", "returned", "", "{}", mom(at)))
                        events.append((pk, None, "warga", "resubmit", "returned", "submitted", "", "{}", mom(at)))
                    actor = staff[kind]
                    if kind == "submit" and submitted_by:
                        actor = submitted_by
                    events.append(
                        (pk, actor, "" if actor else "warga", kind, previous, to, "", "{}", mom(at))
                    )  # fmt: skip
                    previous = to
                if status in OPEN:
                    stage = STATUS_STAGE[status]
                    minutes = stage_minutes[(service.pk, stage)]
                    timers.append(
                        (
                            pk,
                            office.pk,
                            stage,
                            mom(changed),
                            minutes,
                            mom(changed + timedelta(minutes=minutes)) if minutes else None,
                        )
                    )
                if status == "returned" and requirements[service.pk]:
                    reviews.append(
                        (pk, requirements[service.pk][0], "unreadable", "Foto buram", False, mom(changed))
                    )  # fmt: skip
            app_w.write(apps)
            att_w.write(atts)
            ev_w.write(events)
            timer_w.write(timers)
            review_w.write(reviews)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Application, Attachment, Event, StageTimer, ReviewItem]
            ):
                cursor.execute(sql)
        from pencet.cases.models import TrackingCounter

        TrackingCounter.objects.bulk_create(
            [TrackingCounter(office_id=office.pk, period=p, last=n) for p, n in serials.items()]
        )
    # The report aggregates are built from the rows just written, as `pencet reports-rebuild` builds them.
    from pencet.reports.services import report_stats_rebuild_range

    report_stats_rebuild_range(office=office, date_from=(first + LOCAL).date(), date_to=(now + LOCAL).date())
    stats = DailyStat.objects.filter(office=office).count()
    return Generated(app_w.count, att_w.count, ev_w.count, timer_w.count, stats, time.perf_counter() - started)
