"""Console pieces: interruptions opened and closed by staff, the overdue list, the clock on the application page."""

from datetime import date

import pytest
from django.test import Client

from pencet.cases.models_clocks import ServiceInterruption

from .conftest import wita

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.OTP_REQUIRED = False


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_opens_and_closes_an_interruption_from_the_console(at, sinjai, budi):
    client = logged_in(budi)
    at(wita(2026, 11, 23, 10))
    page = client.get("/gangguan/")
    assert page.status_code == 200 and "SIAK tidak dapat diakses" in page.content.decode()
    response = client.post("/gangguan/", {"kind": "siak", "note": "Server pusat tidak merespons"})
    assert response.status_code == 302
    interruption = ServiceInterruption.objects.get()
    assert (interruption.opened_by, interruption.closed_at) == (budi, None)
    at(wita(2026, 11, 23, 11))
    client.post(f"/gangguan/{interruption.pk}/tutup/", {"note": "Pulih"})
    interruption.refresh_from_db()
    assert interruption.closed_at == wita(2026, 11, 23, 11)
    assert interruption.close_note == "Pulih"


def test_leadership_sees_interruptions_but_cannot_open_one(at, sinjai, eka):
    client = logged_in(eka)
    assert "Buka gangguan" not in client.get("/gangguan/").content.decode()
    client.post("/gangguan/", {"kind": "power"})
    assert not ServiceInterruption.objects.exists()


def test_another_offices_interruption_cannot_be_closed(at, sinjai, budi, hasan):
    at(wita(2026, 11, 23, 10))
    logged_in(budi).post("/gangguan/", {"kind": "network"})
    interruption = ServiceInterruption.objects.get()
    assert logged_in(hasan).post(f"/gangguan/{interruption.pk}/tutup/").status_code == 404


def test_the_home_page_partial_lists_the_officers_overdue_applications(at, submitted, andi):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 30))
    body = logged_in(andi).get("/antrean/terlambat/").content.decode()
    assert f'data-overdue="{application.tracking_code}"' in body
    assert "Lewat target" in body


def test_the_application_page_shows_the_legal_deadline_and_the_stages(at, submitted, andi):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    application.event_date = date(2026, 9, 1)
    application.save()
    at(wita(2026, 11, 23, 9, 5))
    body = logged_in(andi).get(f"/permohonan/{application.tracking_code}/").content.decode()
    assert "31-10-2026" in body  # 60 days after 1 September
    assert "data-late" in body
    assert 'data-stage="review"' in body


def test_a_long_overdue_list_shows_the_earliest_and_counts_the_rest_in_a_fixed_number_of_queries(
    at, submitted, andi, django_assert_max_num_queries, settings, no_latency_flush
):
    from pencet.cases import clocks_alerts

    # Fifty-three submissions: their stage timers are what the list reads; Siti's 53 receipts are not.
    settings.PENCET_EVENT_SUBSCRIBERS = ["pencet.cases.clocks.clock_event_record"]

    shown = clocks_alerts.OVERDUE_SHOWN
    at(wita(2026, 11, 23, 9))
    first = submitted()
    at(wita(2026, 11, 23, 9, 1))
    for _ in range(shown + 2):
        submitted()
    at(wita(2026, 11, 23, 11))
    client = logged_in(andi)
    client.get("/antrean/terlambat/")
    with django_assert_max_num_queries(15):
        body = client.get("/antrean/terlambat/").content.decode()
    assert body.count("data-overdue=") == shown
    assert f'data-overdue="{first.tracking_code}"' in body, "the one overdue longest is listed"
    assert 'data-overdue-more="3"' in body
    assert "3 tahap lain lewat target" in body
