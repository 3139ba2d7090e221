"""The console's search box: what an officer sees for a rare name, a common one, and one that matches hundreds."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import Application, Status

from .test_queues import _application_queries, _codes_in_order, _full_scans_of_applications

pytestmark = pytest.mark.django_db


def _copies(application: Application, count: int, *, name: str, start: int) -> list[Application]:
    """`count` more applications like `application` (bulk-written: a busy office's history), one a day older each,
    oldest last; their codes run from `start`."""
    now = timezone.now()
    copies = []
    for n in range(count):
        copy = Application.objects.get(pk=application.pk)
        copy.pk = None
        copy.tracking_code = f"SNJ-2612-{start + n:04d}"
        copy.status_token = f"copy{start + n}"
        copy.applicant_name = name
        copies.append(copy)
    copies = Application.objects.bulk_create(copies)
    for n, copy in enumerate(copies):  # created_at is set on creation; then backdated
        Application.objects.filter(pk=copy.pk).update(created_at=now - timedelta(days=n + 1))
    return copies


def test_a_search_matching_a_few_lists_them_in_queue_order_and_says_how_many(client_as, make_application):
    first = make_application(Status.SUBMITTED, applicant_name="Hasnah Latif", nik="7307075203150001")
    second = make_application(Status.SUBMITTED, applicant_name="Hasnah Rahman", nik="7307075203150002")
    elderly = make_application(
        Status.SUBMITTED, applicant_name="Hasnah Yunus", nik="7307075203150003", priority_elderly=True
    )
    make_application(Status.SUBMITTED, applicant_name="Rini Baso", nik="7307075203150004")
    html = client_as("andi").get(reverse("console:search"), {"q": "hasnah"}).content.decode()
    assert "3 permohonan cocok." in html
    # The elderly applicant first, then whoever has waited longest, as on the queues.
    assert _codes_in_order(html) == [elderly.tracking_code, first.tracking_code, second.tracking_code]


def test_a_search_matching_more_than_a_page_shows_the_first_fifty_in_queue_order(client_as, make_application):
    oldest = make_application(Status.SUBMITTED, applicant_name="Sari Latif")
    _copies(oldest, 59, name="Sari Rahman", start=9000)
    elderly = make_application(Status.SUBMITTED, applicant_name="Sari Baso", priority_elderly=True)
    html = client_as("andi").get(reverse("console:search"), {"q": "sari"}).content.decode()
    assert "61 permohonan cocok. Ditampilkan 50 yang pertama menurut urutan antrean." in html
    codes = _codes_in_order(html)
    assert len(codes) == 50
    assert codes[0] == elderly.tracking_code


def test_a_common_name_matching_hundreds_shows_the_newest_fifty_and_says_more_than(client_as, make_application):
    newest = make_application(Status.SUBMITTED, applicant_name="Sari Latif")
    copies = _copies(newest, 230, name="Sari Rahman", start=9000)
    # Priority does not lift an old application into the first page here: the page is the newest, said so.
    Application.objects.filter(pk=copies[-1].pk).update(priority_elderly=True)
    make_application(Status.SUBMITTED, applicant_name="Budiman")
    client = client_as("andi")
    html = client.get(reverse("console:search"), {"q": "SARI"}).content.decode()
    assert "Lebih dari 200 permohonan cocok. Ditampilkan 50 yang terbaru" in html
    assert _codes_in_order(html) == [newest.tracking_code] + [c.tracking_code for c in copies[:49]]
    english = client
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = english.get(reverse("console:search"), {"q": "SARI"}).content.decode()
    assert "More than 200 applications match. The 50 newest are shown" in html


def test_a_search_matching_nothing_says_so(client_as, make_application):
    make_application(Status.SUBMITTED, applicant_name="Siti Aminah")
    html = client_as("andi").get(reverse("console:search"), {"q": "Budiman"}).content.decode()
    assert "0 permohonan cocok." in html
    assert "Tidak ada permohonan." in html


def test_village_staff_count_only_the_matches_of_their_villages(client_as, make_application, office):
    from pencet.regions.models import Region

    elsewhere = Region.objects.filter(code__startswith="73.07.", level=4).exclude(name="Bonto Katute").first()
    make_application(Status.SUBMITTED, applicant_name="Yunus Latif", nik="7307075203150001")
    make_application(Status.SUBMITTED, applicant_name="Yunus Baso", nik="7307075203150002", village=elsewhere)
    html = client_as("fajar").get(reverse("console:search"), {"q": "yunus"}).content.decode()
    assert "1 permohonan cocok." in html
    assert "Yunus Baso" not in html


def test_a_name_search_walks_the_newest_first_through_an_index_and_stops_at_a_limit(client_as, make_application):
    """The question that decides the page asks for the keys newest first with a LIMIT, which the (office,
    created_at) index answers in order: a common name never makes the database read and sort every match."""
    make_application(Status.SUBMITTED, applicant_name="Sari Latif")
    queries = _application_queries(client_as("andi"), reverse("console:search"), {"q": "sari"})
    limited = [(sql, params) for sql, params in queries if "LIKE" in sql.upper()]
    assert len(limited) == 1, queries  # the substring test is made once, the rows are then read by key
    sql, params = limited[0]
    assert re.search(r"ORDER BY .*created_at.* DESC.* LIMIT 201", sql), sql
    assert _full_scans_of_applications(sql, params) == [], sql
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "cases_app_office_created_idx" in plan and "TEMP B-TREE" not in plan, plan


def test_postgresql_samples_the_names_finely_enough_to_tell_a_full_name_from_a_common_one():
    """The planner walks the newest rows for a common name and reads a full name's matches through the trigram
    index; which it does follows its estimate of how many names match, from a histogram of sampled names. With the
    default 100 entries, 0.15 % looks like 1 % (a walk of 130,000 rows at 1,000,000 applications)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite always walks the index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname = 'cases_app_name_trgm' AND a.attnum = 1"
        )
        (target,) = cursor.fetchone()
    assert target >= 1000
