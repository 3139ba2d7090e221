"""Reads of applications, always scoped to what the user may see."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pencet.accounts.models import Role, User
from pencet.catalog.models import Service
from pencet.lib.phone import phone_variants

from .models import CLOSED_STATUSES, OPEN_STATUSES, Application, ReviewItem, Status


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """Every application the user may read: their office's, or only their villages' for village staff."""
    qs = Application.objects.select_related("service", "village", "office", "claimed_by")
    if user.is_superuser and user.office_id is None:
        return qs
    if not user.is_authenticated or not user.roles:
        return qs.none()
    qs = qs.filter(office_id=user.office_id)
    if user.roles == {Role.VILLAGE_STAFF}:
        qs = qs.filter(Q(village__in=user.villages.all()))
    return qs


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    statuses: tuple[str, ...]
    roles: tuple[str, ...]
    mine: bool = False


QUEUES: tuple[Queue, ...] = (
    Queue("submitted", _("Menunggu pemeriksaan"), (Status.SUBMITTED,), (Role.SERVICE_OFFICER, Role.ADMIN)),
    Queue(
        "returned",
        _("Menunggu pemohon"),
        (Status.RETURNED,),
        (Role.SERVICE_OFFICER, Role.VILLAGE_STAFF, Role.ADMIN),
    ),
    # A late registration waits for the head of office's decision before the forum.
    Queue(
        "awaiting_decision",
        _("Menunggu keputusan kepala dinas"),
        (Status.AWAITING_DECISION,),
        (Role.SIGNER, Role.ADMIN),
    ),
    Queue("accepted", _("Forum: menunggu operator"), (Status.ACCEPTED,), (Role.OPERATOR, Role.ADMIN)),
    Queue("in_process_mine", _("Sedang saya proses"), (Status.IN_PROCESS,), (Role.OPERATOR,), mine=True),
    Queue("in_process", _("Diproses di SIAK"), (Status.IN_PROCESS,), (Role.OPERATOR, Role.ADMIN)),
    Queue(
        "awaiting_verification",
        _("Menunggu verifikasi"),
        (Status.AWAITING_VERIFICATION,),
        (Role.VERIFIER, Role.ADMIN),
    ),
    Queue(
        "awaiting_signature",
        _("Menunggu tanda tangan"),
        (Status.AWAITING_SIGNATURE,),
        (Role.SIGNER, Role.ADMIN),
    ),
    Queue(
        "ready",
        _("Siap dikirim/diambil"),
        (Status.READY,),
        (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VILLAGE_STAFF, Role.ADMIN),
    ),
)


def queues_for_user(*, user: User) -> list[Queue]:
    if user.has_role(Role.LEADERSHIP) and not user.has_role(Role.ADMIN):
        return [q for q in QUEUES if not q.mine]
    return [q for q in QUEUES if user.has_role(*q.roles)]


def queue_applications(*, user: User, queue: Queue) -> QuerySet[Application]:
    qs = application_list_for_user(user=user).filter(status__in=queue.statuses)
    if queue.mine:
        qs = qs.filter(claimed_by=user)
    return qs


def queue_counts_for_user(*, user: User) -> list[tuple[Queue, int]]:
    return [(q, queue_applications(user=user, queue=q).count()) for q in queues_for_user(user=user)]


# --- Console reads (queues, search, review warnings, timeline) ---

# A legal deadline this close (or already past) makes an application a priority.
DEADLINE_WARNING_DAYS = 7
# One phone applying for this many different NIKs within the window is worth a second look.
PHONE_MANY_NIKS = 3
PHONE_MANY_NIKS_DAYS = 30


def queue_get(*, user: User, key: str) -> Queue | None:
    """The queue named `key` if the user may see it."""
    return next((q for q in queues_for_user(user=user) if q.key == key), None)


def application_deadline(*, application: Application) -> date | None:
    """The last day to register the event (birth, death…) without the head of office's decision."""
    days = application.service.legal_deadline_days
    if application.event_date is None or days is None:
        return None
    return application.event_date + timedelta(days=days)


def application_priority_flags(*, application: Application, today: date | None = None) -> list[str]:
    """Why the application goes first: "lansia", "disabilitas", "batas_waktu"."""
    flags = []
    if application.priority_elderly:
        flags.append("lansia")
    if application.priority_disability:
        flags.append("disabilitas")
    deadline = application_deadline(application=application)
    if deadline is not None and application.status not in CLOSED_STATUSES:
        today = today or timezone.localdate()
        if deadline - today <= timedelta(days=DEADLINE_WARNING_DAYS):
            flags.append("batas_waktu")
    return flags


def priority_condition(*, today: date) -> Q:
    """What `application_priority_flags` flags, as SQL: elderly, disability, or a legal deadline within
    DEADLINE_WARNING_DAYS of an open application. The deadline is `event_date + service's days`; written per number
    of days as `event_date <= today + warning - days`, so the database compares a column with a constant."""
    condition = Q(priority_elderly=True) | Q(priority_disability=True)
    by_days: dict[int, list[int]] = {}
    for pk, days in Service.objects.filter(legal_deadline_days__isnull=False).values_list("pk", "legal_deadline_days"):
        by_days.setdefault(days, []).append(pk)
    open_only = ~Q(status__in=CLOSED_STATUSES)
    for days, services in sorted(by_days.items()):
        last_event_day = today + timedelta(days=DEADLINE_WARNING_DAYS - days)
        condition |= Q(service_id__in=services, event_date__lte=last_event_day) & open_only
    return condition


def applications_in_queue_order(applications: QuerySet[Application], *, today: date | None = None) -> QuerySet:
    """Ordered in the database: priority first, then the earliest due moment (none: last), then whoever has waited
    longest in this step. Slice it; only the rows shown are loaded."""
    today = today or timezone.localdate()
    rank = Case(When(priority_condition(today=today), then=Value(0)), default=Value(1), output_field=IntegerField())
    return applications.alias(priority_rank=rank).order_by(
        "priority_rank",
        F("due_at").asc(nulls_last=True),
        F("status_changed_at").asc(nulls_last=True),
        "created_at",
        "pk",
    )


def applications_flagged(rows: Iterable[Application], *, today: date | None = None) -> list[Application]:
    """The rows a page shows, each with `priority_flags` for the template."""
    today = today or timezone.localdate()
    rows = list(rows)
    for a in rows:
        a.priority_flags = application_priority_flags(application=a, today=today)
    return rows


def applications_prioritised(*, applications: QuerySet[Application], limit: int = 300) -> list[Application]:
    """The first `limit` in queue order (see applications_in_queue_order), flagged."""
    return applications_flagged(applications_in_queue_order(applications)[:limit])


QUEUE_PAGE_SIZE = 50


def applications_page(
    *, applications: QuerySet[Application], page: object = 1, per_page: int = QUEUE_PAGE_SIZE
) -> Page:
    """One page of `applications` in queue order, with the total count; `page.object_list` holds the flagged rows.
    A page number out of range answers the last page."""
    result = Paginator(applications_in_queue_order(applications), per_page).get_page(page)
    result.object_list = applications_flagged(result.object_list)
    return result


def queue_page(*, user: User, queue: Queue, page: object = 1, per_page: int = QUEUE_PAGE_SIZE) -> Page:
    return applications_page(applications=queue_applications(user=user, queue=queue), page=page, per_page=per_page)


TRACKING_CODE = re.compile(r"[A-Z]{2,10}-\d{4}-\d{4,}")


def application_exact_condition(*, query: str) -> Q | None:
    """A query that names one application exactly: a tracking code, or a full 16-digit NIK (or KK number). Each is
    answered through its index, before any substring search scans the office's rows."""
    query = query.strip()
    if TRACKING_CODE.fullmatch(query.upper()):
        return Q(tracking_code=query.upper())
    digits = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"\d{16}", digits):
        return Q(nik=digits) | Q(kk_number=digits)
    return None


def application_search_condition(*, query: str) -> Q:
    """What a search box matches: tracking code, applicant name, NIK or KK digits, phone (08… or 62…)."""
    query = query.strip()
    condition = Q(tracking_code=query.upper()) | Q(applicant_name__icontains=query)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 4 and re.fullmatch(r"[\d\s+().\-]+", query):
        condition |= Q(nik__startswith=digits) | Q(nik__endswith=digits) | Q(kk_number=digits)
        # A form containing another (+62… contains 62…) finds nothing more; each one left out is a trigram index
        # scan fewer (the 628… trigrams are in every number: 10-15 ms each at 1,000,000 applications).
        variants = phone_variants(query)
        for phone in sorted(v for v in variants if not any(u != v and u in v for u in variants)):
            condition |= Q(phone__contains=phone)
    if "-" in query:
        condition |= Q(tracking_code__icontains=query)
    return condition


def applications_matching(applications: QuerySet[Application], *, query: str) -> QuerySet[Application]:
    """`applications` filtered by a search: the exact match through an index if there is one, else substrings."""
    exact = application_exact_condition(query=query)
    if exact is not None:
        found = applications.filter(exact)
        if found.exists():
            return found
    return applications.filter(application_search_condition(query=query))


# A search matching more applications than this shows the newest ones and says "more than" this number: the newest
# come straight from the (office, created_at) index, which stops at the page, where queue order would read and sort
# every match (77,000 rows for a common name in an office of 1,000,000 applications: 2 s on PostgreSQL).
SEARCH_ORDERED_MAX = 200


@dataclass(frozen=True)
class SearchResult:
    rows: list[Application]
    count: int  # how many matched, or SEARCH_ORDERED_MAX when `more`
    more: bool = False  # more than `count` matched; `rows` are the newest, not in queue order


def application_search(*, user: User, query: str, limit: int = 50) -> SearchResult:
    """By tracking code, NIK, applicant name or phone, within what the user may see. Up to SEARCH_ORDERED_MAX
    matches: the first `limit` in queue order (see applications_in_queue_order); more: the `limit` newest."""
    if len(query.strip()) < 3:
        return SearchResult(rows=[], count=0)
    visible = application_list_for_user(user=user).exclude(status=Status.DRAFT)
    exact = application_exact_condition(query=query)
    if exact is not None:
        # A code or a NIK names one application or one person's few: one indexed query answers the page.
        rows = applications_prioritised(applications=visible.filter(exact), limit=limit)
        if rows:
            count = len(rows) if len(rows) < limit else visible.filter(exact).count()
            return SearchResult(rows=rows, count=count)
    matching = visible.filter(application_search_condition(query=query))
    # Only the keys, newest first: the database stops at the first SEARCH_ORDERED_MAX + 1 it finds.
    keys = list(matching.order_by("-created_at", "-pk").values_list("pk", flat=True)[: SEARCH_ORDERED_MAX + 1])
    chosen = Application.objects.select_related("service", "village", "office", "claimed_by")
    if len(keys) > SEARCH_ORDERED_MAX:
        newest = chosen.filter(pk__in=keys[:limit]).order_by("-created_at", "-pk")
        return SearchResult(rows=applications_flagged(newest), count=SEARCH_ORDERED_MAX, more=True)
    rows = applications_prioritised(applications=chosen.filter(pk__in=keys), limit=limit)
    return SearchResult(rows=rows, count=len(keys))


@dataclass(frozen=True)
class ReviewWarning:
    code: str
    message: str
    others: tuple[Application, ...] = ()


def application_warnings(*, application: Application, user: User) -> list[ReviewWarning]:
    """Possible duplicates (same NIK and service still open) and one phone applying for many NIKs.

    Both look only at what `user` may read: village staff never learn of another village's applications, not
    even their number; the service officer, who reviews, sees the whole office.
    """
    warnings: list[ReviewWarning] = []
    same_office = (
        application_list_for_user(user=user).filter(office_id=application.office_id).exclude(pk=application.pk)
    )
    if application.nik:
        duplicates = tuple(
            same_office.filter(nik=application.nik, service_id=application.service_id, status__in=OPEN_STATUSES)
        )
        if duplicates:
            warnings.append(
                ReviewWarning(
                    "duplicate",
                    _("Kemungkinan ganda: NIK yang sama sudah punya permohonan layanan ini yang masih berjalan."),
                    duplicates,
                )
            )
    if application.phone:
        since = timezone.now() - timedelta(days=PHONE_MANY_NIKS_DAYS)
        niks = set(
            same_office.filter(phone=application.phone, created_at__gte=since)
            .exclude(nik="")
            .values_list("nik", flat=True)
        )
        if application.nik:
            niks.add(application.nik)
        if len(niks) >= PHONE_MANY_NIKS:
            warnings.append(
                ReviewWarning(
                    "phone_many_niks",
                    _("Nomor %(phone)s mengajukan untuk %(count)d NIK berbeda dalam %(days)d hari terakhir.")
                    % {"phone": application.phone, "count": len(niks), "days": PHONE_MANY_NIKS_DAYS},
                )
            )
    return warnings


def application_open_review_items(*, application: Application) -> dict[int, ReviewItem]:
    """The latest verdict per requirement from the review that returned the application, while unresolved."""
    items = application.review_items.filter(resolved=False).order_by("created_at")
    return {i.requirement_id: i for i in items}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "event", "inbound", "outbound"
    item: object


def application_timeline(*, application: Application, with_chat: bool, limit: int = 300) -> list[TimelineEntry]:
    """Every Event and, `with_chat` (see policies.personal_data_policy_for), the whole WhatsApp conversation
    with the applicant's contact, oldest first."""
    from pencet.whatsapp.models import InboundMessage, OutboundMessage

    entries = [TimelineEntry(e.created_at, "event", e) for e in application.events.select_related("actor")[:limit]]
    if not with_chat:
        return entries
    if application.contact_id:
        inbound = InboundMessage.objects.filter(contact_id=application.contact_id).order_by("-sent_at")[:limit]
        entries += [TimelineEntry(m.sent_at, "inbound", m) for m in inbound]
        outbound = (
            OutboundMessage.objects.filter(contact_id=application.contact_id)
            .select_related("sent_by")
            .order_by("-created_at")[:limit]
        )
        entries += [TimelineEntry(m.created_at, "outbound", m) for m in outbound]
    else:
        outbound = application.outbound_messages.select_related("sent_by").order_by("-created_at")[:limit]
        entries += [TimelineEntry(m.created_at, "outbound", m) for m in outbound]
    entries.sort(key=lambda e: e.at)
    return entries


def applications_registered_by_page(*, user: User, page: object = 1, per_page: int = QUEUE_PAGE_SIZE) -> Page:
    """The applications `user` registered (village staff's "Pengajuan saya"), newest first, one page of them."""
    registered = application_list_for_user(user=user).filter(submitted_by=user).order_by("-created_at", "-pk")
    result = Paginator(registered, per_page).get_page(page)
    result.object_list = applications_flagged(result.object_list)
    return result
