"""Issue 16 point 4: the office's recording desk offers its free hours when a service needs the citizen in person;
no-shows are released and counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.accounts.services import office_hours_seed
from pencet.outreach.models import Booking, Desk
from pencet.outreach.selectors import RELEASE_AFTER, desk_slots, office_bookings_figures
from pencet.outreach.services import bookings_release_no_shows
from tests.bot.conftest import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording_desk(office) -> Desk:
    office_hours_seed(office=office)
    return Desk.objects.create(office=office, name="Meja perekaman KTP-el", purpose="recording", capacity_per_hour=1)


def test_the_bot_offers_the_recording_desk_and_the_citizen_books_an_hour(sari, recording_desk):
    answers = sari.say("mau rekam KTP-el baru")
    assert "perlu kehadiran Anda di kantor" in said(answers)
    sari.tap(sari.option("Kantor Disdukcapil"))
    first_hour = sari.options()[0]
    confirmation = said(sari.tap(first_hour[0]))
    assert "Janji temu tercatat" in confirmation and "Disdukcapil Kabupaten Sinjai" in confirmation
    booking = Booking.objects.get()
    assert booking.desk == recording_desk and booking.service.code == "ktp-baru"
    # One seat an hour: that hour is no longer offered.
    assert booking.starts_at not in [s.starts_at for s in desk_slots(desk=recording_desk)]


def test_a_citizen_who_does_not_come_is_released_and_counted_as_a_no_show(sari, recording_desk):
    sari.say("mau rekam KTP-el baru")
    sari.tap(sari.option("Kantor Disdukcapil"))
    sari.tap(sari.options()[0][0])
    booking = Booking.objects.get()
    assert bookings_release_no_shows(now=booking.starts_at + RELEASE_AFTER - timedelta(minutes=1)) == 0
    assert bookings_release_no_shows(now=booking.starts_at + RELEASE_AFTER + timedelta(minutes=1)) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    day = timezone.localtime(booking.starts_at).date()
    figures = office_bookings_figures(office=booking.office, date_from=day, date_to=day)
    assert figures["desk"]["no_show"] == 1 and figures["desk"]["booked"] == 0


def test_a_ready_document_offers_the_pickup_desk_and_sari_books_her_pickup(
    sari, office, andi, budi, citra, dewi, bonto_katute, django_capture_on_commit_callbacks
):
    from pencet.cases import services as cases
    from pencet.catalog.models import Service
    from pencet.whatsapp.models import Contact

    office_hours_seed(office=office)
    pickup = Desk.objects.create(office=office, name="Loket pengambilan", purpose="pickup", capacity_per_hour=4)
    sari.say("halo")
    contact = Contact.objects.get(phone=sari.phone)
    with django_capture_on_commit_callbacks(execute=True):
        application = cases.application_create(
            office=office, service=Service.objects.get(code="kk-hilang-rusak"), contact=contact,
            applicant_name="Sari", village=bonto_katute, delivery_preference="pickup",
        )  # fmt: skip
        cases.application_submit(application=application, actor=None)
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="KK.1")
        cases.application_approve(application=application, actor=citra)
        cases.application_sign(application=application, actor=dewi)
    assert "Pesan jam pengambilan" in sari.last_text()
    confirmation = said(sari.tap(sari.options()[0][0]))
    assert "Janji temu tercatat" in confirmation
    booking = Booking.objects.get()
    assert booking.desk == pickup and booking.application == application


@pytest.mark.parametrize(
    ("asks", "service", "reason", "bring"),
    [
        ("mau rekam ulang KTP-el", "ktp-rekam-ulang", "pemutakhiran data biometrik", ""),
        ("mau daftar pindah datang", "pindah-datang", "pemeriksaan dokumen asli", "Bawa aslinya: SKPWNI."),
    ],
)
def test_a_biometric_update_or_an_original_check_offers_the_recording_desk_too(
    sari, recording_desk, asks, service, reason, bring
):
    from pencet.catalog.models import Service

    answers = said(sari.say(asks))
    if "perlu kehadiran" not in answers:
        # The bot asked which service was meant: she picks it from the list.
        answers = said(sari.tap(f"svc:{Service.objects.get(code=service).pk}"))
    assert f"perlu kehadiran Anda di kantor ({reason})" in answers
    assert bring in answers
    sari.tap(sari.option("Kantor Disdukcapil"))
    confirmation = said(sari.tap(sari.options()[0][0]))
    assert "Janji temu tercatat" in confirmation
    assert Booking.objects.get().service.code == service


def test_a_service_done_entirely_on_whatsapp_offers_no_desk(sari, recording_desk):
    answers = said(sari.say("mau bikin akta lahir anak saya"))
    assert "Akta kelahiran" in answers
    assert "perlu kehadiran" not in answers


def test_a_bundle_whose_pdfs_travel_offers_the_pickup_desk_for_its_card(
    sari, office, andi, budi, citra, dewi, bonto_katute, django_capture_on_commit_callbacks, settings, tmp_path
):
    from pencet.cases import services as cases
    from pencet.cases.components import component_approve, component_siak_record
    from pencet.catalog.models import Service
    from pencet.delivery.services import output_specimen_create
    from pencet.delivery.signing import component_sign
    from pencet.whatsapp.models import Contact
    from tests.conftest import PASSWORD

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    office.is_demo = True
    office.save()
    office_hours_seed(office=office)
    pickup = Desk.objects.create(office=office, name="Loket pengambilan", purpose="pickup", capacity_per_hour=4)
    sari.say("halo")
    contact = Contact.objects.get(phone=sari.phone)
    with django_capture_on_commit_callbacks(execute=True):
        application = cases.application_create(
            office=office, service=Service.objects.get(code="one-three"), contact=contact,
            applicant_name="Sari", village=bonto_katute, delivery_preference="whatsapp",
        )  # fmt: skip
        cases.application_submit(application=application, actor=None)
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        components = list(application.components.order_by("position"))
        for number, component in enumerate(components, start=1):
            component_siak_record(component=component, actor=budi, siak_reference=f"R-{number}")
        for component in components:
            component_approve(component=component, actor=citra)
        application.refresh_from_db()
        for component in components:
            output_specimen_create(application=application, actor=andi, component=component)
    for component in components:
        with django_capture_on_commit_callbacks(execute=True):
            component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    assert "Pesan jam pengambilan" in sari.last_text()
    assert "Janji temu tercatat" in said(sari.tap(sari.options()[0][0]))
    assert Booking.objects.get().desk == pickup
