"""Queues: live counts, priority order, who holds what, search, contacts asking for a person."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import Application, Status
from pencet.whatsapp.models import Contact
from tests.plans import query_plan

pytestmark = pytest.mark.django_db


def _codes_in_order(html: str) -> list[str]:
    return re.findall(r'class="code">([A-Z]+-\d{4}-\d{4})</a>', html)


def test_the_counts_partial_shows_each_queue_of_the_role_and_polls_every_ten_seconds(client_as, make_application):
    make_application(Status.SUBMITTED)
    make_application(Status.SUBMITTED)
    make_application(Status.ACCEPTED)
    client = client_as("andi")
    home = client.get(reverse("console:home")).content.decode()
    assert 'hx-trigger="load, every 10s"' in home
    partial = client.get(reverse("console:queue_counts"), HTTP_HX_REQUEST="true").content.decode()
    submitted = re.search(r'data-queue="submitted".*?<span class="count">(\d+)</span>', partial, re.S)
    assert submitted.group(1) == "2"
    assert 'data-queue="accepted"' not in partial  # the forum is the operators' queue
    operator = client_as("budi").get(reverse("console:queue_counts")).content.decode()
    assert re.search(r'data-queue="accepted".*?<span class="count">(\d+)</span>', operator, re.S).group(1) == "1"


def test_priority_goes_first_then_whoever_waited_longest(client_as, make_application, office):
    oldest = make_application(Status.SUBMITTED, nik="7307070101800001")
    newer = make_application(Status.SUBMITTED, nik="7307070101800002")
    elderly = make_application(Status.SUBMITTED, nik="7307070101400003", priority_elderly=True)
    deadline = make_application(
        Status.SUBMITTED, nik="7307070101200004", event_date=timezone.localdate() - timedelta(days=57)
    )
    now = timezone.now()
    for i, a in enumerate([oldest, newer, elderly, deadline]):
        Application.objects.filter(pk=a.pk).update(status_changed_at=now - timedelta(hours=10 - i))
    html = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert _codes_in_order(html) == [
        elderly.tracking_code,
        deadline.tracking_code,
        oldest.tracking_code,
        newer.tracking_code,
    ]
    assert "Lansia" in html
    assert "Batas waktu dekat" in html
    assert "7307••••••••0001" in html  # NIK masked in lists
    assert "7307070101800001" not in html
    assert "Bonto Katute" in html


def test_a_deadline_far_away_is_not_a_priority(client_as, make_application):
    make_application(Status.SUBMITTED, event_date=timezone.localdate() - timedelta(days=10))
    html = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert "Batas waktu dekat" not in html


def test_the_forum_shows_who_holds_an_application(client_as, make_application):
    make_application(Status.IN_PROCESS)
    html = client_as("gita").get(reverse("console:queue", args=["in_process"])).content.decode()
    assert "Budi" in html


def test_search_finds_by_tracking_code_nik_name_and_phone(client_as, make_application):
    application = make_application(Status.SUBMITTED, nik="7307075203150001", phone="6281234500001")
    client = client_as("andi")
    by_code = client.get(reverse("console:search"), {"q": application.tracking_code.lower()})
    assert by_code.status_code == 302
    assert by_code["Location"] == reverse("console:application", args=[application.tracking_code])
    for query in ("7307075203150001", "siti amin", "081234500001", "+62 812-3450-0001"):
        html = client.get(reverse("console:search"), {"q": query}).content.decode()
        assert application.tracking_code in html, query
    assert application.tracking_code not in client.get(reverse("console:search"), {"q": "Budiman"}).content.decode()


def test_contacts_asking_for_a_person_are_listed_on_the_home_page(client_as, office):
    Contact.objects.create(office=office, phone="6281200000009", profile_name="Pak Rahman", needs_human=True)
    Contact.objects.create(office=office, phone="6281200000010", profile_name="Bu Tenang")
    html = client_as("andi").get(reverse("console:queue_counts")).content.decode()
    assert "Pak Rahman" in html
    assert "Bu Tenang" not in html
    # Village staff and other offices do not see the office's chats.
    assert "Pak Rahman" not in client_as("fajar").get(reverse("console:queue_counts")).content.decode()
    assert "Pak Rahman" not in client_as("hasan").get(reverse("console:queue_counts")).content.decode()


def test_an_officer_answers_a_contact_and_marks_it_served(client_as, office):
    contact = Contact.objects.create(
        office=office,
        phone="6281200000009",
        profile_name="Pak Rahman",
        needs_human=True,
        last_inbound_at=timezone.now(),
    )
    client = client_as("andi")
    page = client.get(reverse("console:contact", args=[contact.pk])).content.decode()
    assert "Jendela 24 jam terbuka" in page
    client.post(reverse("console:contact", args=[contact.pk]), {"body": "Selamat siang Pak, ada yang bisa dibantu?"})
    message = contact.outbound_messages.get()
    assert message.payload == {"body": "Selamat siang Pak, ada yang bisa dibantu?"}
    assert message.sent_by.username == "andi"
    client.post(reverse("console:contact_done", args=[contact.pk]))
    contact.refresh_from_db()
    assert not contact.needs_human
    assert client_as("hasan").get(reverse("console:contact", args=[contact.pk])).status_code == 404
    assert client_as("fajar").get(reverse("console:contact", args=[contact.pk])).status_code == 404


def test_a_long_queue_is_paginated_in_the_database_with_its_count(client_as, make_application, settings):
    codes = [make_application(Status.SUBMITTED, nik=f"73070701018000{n:02d}").tracking_code for n in range(53)]
    client = client_as("andi")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("console:queue", args=["submitted"])).content.decode()
    # Fifty rows shown of 53, in the order they were submitted (same due moment, then who waited longest).
    assert _codes_in_order(first) == codes[:50]
    assert "(53)" in first and "1–50 dari 53" in first
    rows_query = next(q["sql"] for q in queries if "ORDER BY" in q["sql"] and '"cases_application"' in q["sql"])
    assert "LIMIT 50" in rows_query
    second = client.get(reverse("console:queue", args=["submitted"]), {"halaman": 2}).content.decode()
    assert _codes_in_order(second) == codes[50:]
    assert "51–53 dari 53" in second


def test_the_earliest_due_goes_first_after_priority_and_each_row_shows_time_left_or_over(client_as, make_application):
    later = make_application(Status.SUBMITTED, nik="7307070101800001")
    sooner = make_application(Status.SUBMITTED, nik="7307070101800002")
    late = make_application(Status.SUBMITTED, nik="7307070101800003")
    now = timezone.now()
    Application.objects.filter(pk=later.pk).update(due_at=now + timedelta(hours=3, minutes=10))
    Application.objects.filter(pk=sooner.pk).update(due_at=now + timedelta(minutes=40, seconds=30))
    Application.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=1, minutes=5, seconds=30))
    html = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert _codes_in_order(html) == [late.tracking_code, sooner.tracking_code, later.tracking_code]
    assert re.search(r'data-due="over">lewat 1 j 5 mnt<', html)
    assert re.search(r'data-due="left">sisa 40 mnt<', html)
    assert re.search(r'data-due="left">sisa 3 j 9 mnt<', html)


def _full_scans_of_applications(sql: str, params: object = None) -> list[str]:
    """The plan's steps that read the whole applications table (no index), on SQLite or PostgreSQL."""
    steps = query_plan(sql, params)
    if connection.vendor == "postgresql":
        return [s for s in steps if "Seq Scan on cases_application " in s + " "]
    return [s for s in steps if re.match(r"SCAN cases_application\b", s)]


def _application_queries(client, url: str, params: dict | None = None) -> list[tuple[str, object]]:
    """The SQL (with its parameters) a page sends to the applications table."""
    executed: list[tuple[str, object]] = []

    def remember(execute, sql, params, many, context):
        if '"cases_application"' in sql and sql.lstrip().upper().startswith("SELECT"):
            executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        client.get(url, params or {})
    return executed


@pytest.mark.parametrize(
    ("persona", "queue", "status"),
    [
        ("andi", "submitted", Status.SUBMITTED),
        ("budi", "accepted", Status.ACCEPTED),
        ("budi", "in_process_mine", Status.IN_PROCESS),
        ("dewi", "awaiting_decision", Status.AWAITING_DECISION),
        ("fajar", "ready", Status.READY),
    ],
)
def test_no_queue_page_reads_the_whole_applications_table(client_as, make_application, persona, queue, status):
    for n in range(3):
        walked = Status.SUBMITTED if status == Status.AWAITING_DECISION else status
        application = make_application(walked, nik=f"73070701018000{n:02d}")
        Application.objects.filter(pk=application.pk).update(status=status)
    queries = _application_queries(client_as(persona), reverse("console:queue", args=[queue]))
    assert len(queries) >= 2  # the rows and their count
    for sql, params in queries:
        assert _full_scans_of_applications(sql, params) == [], sql


def test_an_exact_tracking_code_or_nik_is_found_through_an_index(client_as, make_application):
    application = make_application(Status.SUBMITTED, nik="7307075203150001")
    make_application(Status.SUBMITTED, nik="7307075203150002", applicant_name="Budiman")
    client = client_as("andi")
    for query in (application.tracking_code, "7307075203150001"):
        queries = _application_queries(client, reverse("console:search"), {"q": query})
        assert queries, query
        # The first question asked is the exact one, and it needs no substring scan.
        sql, params = queries[0]
        assert "LIKE" not in sql.upper(), sql
        assert _full_scans_of_applications(sql, params) == [], sql
        assert all("LIKE" not in s.upper() for s, _p in queries), "found exactly: no substring search follows"


def test_the_api_list_newest_first_and_by_submission_day_uses_an_index(make_application, andi):
    from pencet.accounts.services import api_token_create

    make_application(Status.SUBMITTED)
    _token, key = api_token_create(user=andi, name="tes")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    today = timezone.localdate().isoformat()
    for params in ({}, {"submitted_from": today, "submitted_to": today}):
        queries = _application_queries(client, "/api/v1/applications", params)
        assert queries
        for sql, sql_params in queries:
            assert _full_scans_of_applications(sql, sql_params) == [], sql


@pytest.mark.parametrize(
    ("lookup", "index"),
    [
        ({"applicant_name__icontains": "aminah"}, "cases_app_name_trgm"),
        ({"tracking_code__icontains": "2611-00"}, "cases_app_code_trgm"),
        ({"nik__startswith": "730707"}, "_like"),  # Django's own varchar_pattern_ops index on nik
        ({"nik__endswith": "0001"}, "cases_app_nik_trgm"),
        ({"phone__contains": "812345"}, "cases_app_phone_trgm"),
    ],
)
def test_each_substring_lookup_of_the_search_has_a_trigram_index_on_postgresql(make_application, lookup, index):
    """The search ORs these lookups (application_search_condition); each one an index can answer lets PostgreSQL
    combine them into a bitmap scan instead of reading the office's rows. Which plan wins depends on the table's
    size (bench/console.py measures it at 1,000,000); here: that the index matches the SQL Django writes."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no index for LIKE '%…%'")
    make_application(Status.SUBMITTED, nik="7307075203150001", applicant_name="Siti Aminah")
    sql, params = Application.objects.filter(**lookup).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on cases_application" not in plan, plan
    assert index in plan, plan


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"channel": "walk_in"}, "cases_app_office_channel_idx"),
        ({"village": "73.07.07.2007"}, "cases_app_office_village_idx"),
        ({"service": "akta-kelahiran"}, "cases_app_office_service_idx"),
    ],
)
def test_the_api_list_by_channel_village_or_service_counts_and_pages_through_an_index(
    make_application, andi, filters, index
):
    from pencet.accounts.services import api_token_create

    make_application(Status.SUBMITTED)
    _token, key = api_token_create(user=andi, name="tes")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    queries = _application_queries(client, "/api/v1/applications", filters)
    counts = [(sql, params) for sql, params in queries if "COUNT(" in sql.upper()]
    assert counts, queries
    for sql, params in counts:
        assert _full_scans_of_applications(sql, params) == [], sql
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(row[-1] for row in cursor.fetchall())
            assert f"COVERING INDEX {index}" in plan, plan
    if connection.vendor == "sqlite":
        sql, params = next((sql, params) for sql, params in queries if "COUNT(" not in sql.upper())
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        # Newest first straight from the index: no sort of every matching row.
        assert f"INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan


def test_completed_applications_of_a_period_are_counted_from_an_index(make_application, office):
    make_application(Status.SUBMITTED)
    now = timezone.now()
    completed = Application.objects.filter(
        office=office,
        status__in=(Status.DELIVERED, Status.PICKED_UP),
        closed_at__gte=now - timedelta(days=365),
        closed_at__lt=now,
    )
    sql, params = completed.order_by().values("pk").query.sql_with_params()
    sql = f"SELECT COUNT(*) FROM ({sql}) counted"
    assert _full_scans_of_applications(sql, params) == [], sql
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "COVERING INDEX cases_app_office_closed_idx" in plan, plan
