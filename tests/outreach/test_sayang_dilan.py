"""Issue 16 point 2: priority checked against the NIK, the support a disabled applicant needs, the queue order and the
home visit planned from the application, told on WhatsApp, reminded the day before, located, and its outcome."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.models import Application, Status
from pencet.cases.selectors import applications_in_queue_order
from pencet.outreach.models import HomeVisit
from pencet.outreach.services import home_visit_plan, home_visit_record, home_visits_remind
from tests.bot.conftest import said
from tests.bot.test_understanding import NIK_AGE_41, NIK_OLD, to_priority
from tests.wa import signed_post, wa_message

from .conftest import WITA

pytestmark = pytest.mark.django_db


def test_a_disabled_applicant_says_which_support_she_needs_and_it_is_recorded(citizen):
    to_priority(citizen, nik=NIK_OLD)
    answers = citizen.tap("prio:both")
    assert "Dukungan apa yang dibutuhkan" in said(answers)
    summary = said(citizen.tap("sup:bedridden"))
    assert "Tak bisa keluar rumah" in summary
    application = Application.objects.get()
    assert application.priority_disability and application.disability_support == "bedridden"


def test_the_72_year_old_goes_first_and_the_41_year_old_claiming_lansia_is_flagged(
    citizen, client, fake_graph, andi, django_capture_on_commit_callbacks
):
    from tests.bot.conftest import Citizen

    to_priority(citizen, nik=NIK_AGE_41)
    assert "menurut NIK" in said(citizen.tap("prio:elderly"))
    citizen.tap("submit")
    elder = Citizen(client, fake_graph, phone="6281277770072", user_id="ID.elder", name="Nenek")
    to_priority(elder, nik=NIK_OLD)
    assert "menurut NIK" not in said(elder.tap("prio:elderly"))
    elder.tap("submit")
    ordered = list(applications_in_queue_order(Application.objects.filter(status=Status.SUBMITTED)))
    assert [a.nik for a in ordered][0] == NIK_OLD
    flagged = Application.objects.get(nik=NIK_AGE_41)
    assert flagged.events.filter(kind="note", note__contains="Prioritas lansia diminta").exists()


@pytest.fixture
def elderly_application(office, andi, bonto_katute, django_capture_on_commit_callbacks, fake_graph):
    from pencet.catalog.models import Service
    from pencet.whatsapp.models import Contact

    contact = Contact.objects.create(
        office=office, phone="6281277770072", wa_user_id="ID.elder", profile_name="Nenek",
        last_inbound_at=timezone.now(),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        application = cases.application_create(
            office=office, service=Service.objects.get(code="ktp-baru"), contact=contact,
            applicant_name="Hj. Nurhayati",
            nik=NIK_OLD, village=bonto_katute, priority_elderly=True, priority_disability=True,
            disability_support="bedridden",
        )  # fmt: skip
        cases.application_submit(application=application, actor=None)
    return application


def test_a_home_visit_is_planned_told_located_reminded_and_its_outcome_recorded(
    elderly_application, andi, budi, client, fake_graph, django_capture_on_commit_callbacks
):
    visit_day = timezone.localtime(timezone.now(), WITA).date() + timedelta(days=2)
    at = datetime.combine(visit_day, time(10, 0), WITA)
    with django_capture_on_commit_callbacks(execute=True):
        visit = home_visit_plan(
            application=elderly_application, actor=andi, planned_for=at, officers=[andi, budi],
            address="Dusun Bonto, RT 02, Bonto Katute",
        )  # fmt: skip
    told = fake_graph.last_text(to="6281277770072")
    assert "Sayang Dilan" in told and "10.00" in told and "alat perekaman KTP-el" in told and "Andi" in told

    location = wa_message(
        type="location", body={"latitude": -5.2301, "longitude": 120.1502}, phone="6281277770072", user_id="ID.elder",
        name="Nenek",
    )  # fmt: skip
    signed_post(client, location)
    visit.refresh_from_db()
    assert visit.map_url == "https://www.google.com/maps?q=-5.230100,120.150200"
    assert "lokasi Anda kami catat" in fake_graph.last_text(to="6281277770072")

    with django_capture_on_commit_callbacks(execute=True):
        assert home_visits_remind(now=datetime.combine(visit_day - timedelta(days=1), time(9, 0), WITA)) == 1
    assert "pengingat: besok" in fake_graph.last_text(to="6281277770072")

    home_visit_record(visit=visit, actor=andi, done=True, outcome="Perekaman biometrik selesai di rumah.")
    visit.refresh_from_db()
    assert visit.status == HomeVisit.Status.DONE
    assert elderly_application.events.filter(note__contains="Perekaman biometrik selesai").exists()


def test_a_home_visit_is_only_for_priority_applicants(elderly_application, andi, budi):
    from pencet.outreach.services import BookingError

    elderly_application.priority_elderly = elderly_application.priority_disability = False
    elderly_application.save()
    with pytest.raises(BookingError):
        home_visit_plan(
            application=elderly_application, actor=andi, planned_for=timezone.now() + timedelta(days=1),
            officers=[andi], address="x",
        )  # fmt: skip
