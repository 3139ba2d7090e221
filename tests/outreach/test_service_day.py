"""Issue 16 point 3, the way the office will check it: a service day planned for a village is offered to a citizen
of that village who asks for a KTP-el recording; she books a slot on WhatsApp, gets a reminder the day before,
appears on the day's list, is marked present, and the application registered on the spot is counted in the reports
under its own channel."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import Application, Channel
from pencet.outreach.models import AnnouncementRecipient, Booking
from pencet.outreach.services import bookings_remind, service_day_announce, subscription_follow
from pencet.reports.selectors import report_summary
from pencet.whatsapp.models import Contact
from tests.bot.conftest import said

from .conftest import WITA

pytestmark = pytest.mark.django_db


def follows_her_village(sari, bonto_katute, django_capture_on_commit_callbacks) -> Contact:
    sari.say("halo")
    contact = Contact.objects.get(phone=sari.phone)
    with django_capture_on_commit_callbacks(execute=True):
        subscription_follow(contact=contact, village=bonto_katute)
    return contact


def test_sari_of_bonto_katute_books_reminded_comes_and_is_registered_on_the_spot(
    sari, andi, eka, bonto_katute, pelangi_warga_day, in_three_days, andi_console, templates,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    contact = follows_her_village(sari, bonto_katute, django_capture_on_commit_callbacks)

    # The office announces the day: Sari gets the approved template.
    with django_capture_on_commit_callbacks(execute=True):
        service_day_announce(service_day=pelangi_warga_day, actor=andi)
    assert "pencet_service_day_announcement" in sari.last_text()
    assert "Kantor Desa Bonto Katute" in sari.last_text()

    # She asks for a KTP-el recording: the bot explains the service and offers the day in her village.
    answers = sari.say("mau rekam KTP-el baru")
    assert "KTP-el baru" in said(answers)
    assert "layanan keliling" in said(answers)
    day_row = sari.option("Bonto Katute")

    # She picks the day, then the first free hour (09.00), and the booking is confirmed with the place and hour.
    assert "Jam yang masih kosong" in said(sari.tap(day_row))
    assert [title[-5:] for _id, title in sari.options()] == ["09.00", "10.00", "11.00"]
    confirmation = said(sari.tap(sari.options()[0][0]))
    assert "Janji temu tercatat" in confirmation and "Kantor Desa Bonto Katute" in confirmation
    assert "09.00" in confirmation
    booking = Booking.objects.get(contact=contact)
    assert timezone.localtime(booking.starts_at, WITA).time() == time(9, 0)

    # The day before, at ten in the morning, the reminder goes out once.
    day_before = datetime.combine(in_three_days - timedelta(days=1), time(10, 0), WITA)
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings_remind(now=day_before) == 1
        assert bookings_remind(now=day_before + timedelta(minutes=15)) == 0
    assert "pengingat: besok" in sari.last_text()

    # At the site Andi sees her on the day's list (and the printed one), marks her present and registers her.
    page = andi_console.get(reverse("console:service_day", args=[pelangi_warga_day.pk])).content.decode()
    assert "Sari" in page and "09.00" in page
    printed = andi_console.get(reverse("console:service_day", args=[pelangi_warga_day.pk]) + "?cetak=1")
    # The print dialog opens from a static script (the policy runs no onload attribute).
    assert "Sari" in printed.content.decode() and "console/print.js" in printed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        andi_console.post(
            reverse("console:booking_present", args=[pelangi_warga_day.pk, booking.pk]),
            {"register": "1", "applicant_name": "Sari Andriani", "nik": ""},
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED
    application = Application.objects.get(pk=booking.application_id)
    assert application.channel == Channel.SERVICE_DAY
    assert application.village == bonto_katute and application.status == "submitted"

    # The reports count it under its own channel, "Layanan keliling".
    today = timezone.localdate()
    summary = report_summary(user=eka, date_from=today, date_to=today, group_by="channel")
    rows = {row["label"]: row["received"] for row in summary["rows"]}
    assert rows == {"Layanan keliling": 1}
    # And leadership sees it so on the report page, in the per-channel table.
    leadership = Client()
    leadership.force_login(eka)
    page = leadership.get(reverse("console:reports"), {"periode": "day", "tanggal": today.isoformat()})
    per_channel = page.content.decode().split("Per kanal", 1)[1].split("</table>", 1)[0]
    assert "<td>Layanan keliling</td><td>1</td>" in per_channel


def test_a_citizen_of_another_district_is_not_offered_the_village_day(
    client, office, fake_graph, pelangi_warga_day, django_capture_on_commit_callbacks
):
    from pencet.regions.models import Region
    from tests.bot.conftest import Citizen

    far = Region.objects.filter(parent_id="73.07.01", level=4).first()  # Sinjai Barat, not Sinjai Borong
    stranger = Citizen(client, fake_graph, phone="6281299990000", user_id="ID.jauh", name="Jauh")
    stranger.say("halo")
    with django_capture_on_commit_callbacks(execute=True):
        subscription_follow(contact=Contact.objects.get(phone=stranger.phone), village=far)
    answers = stranger.say("mau rekam KTP-el baru")
    assert "KTP-el baru" in said(answers)
    assert "layanan keliling" not in said(answers).lower()


def test_a_citizen_the_office_does_not_know_yet_is_offered_the_coming_days_to_pick_hers(
    client, office, fake_graph, pelangi_warga_day
):
    from tests.bot.conftest import Citizen

    newcomer = Citizen(client, fake_graph, phone="6281299990001", user_id="ID.baru", name="Baru")
    assert "layanan keliling" in said(newcomer.say("mau rekam KTP-el baru"))
    assert newcomer.option("Bonto Katute")


def test_a_full_hour_is_not_offered_and_a_cancelled_seat_is_free_again(
    sari, bonto_katute, pelangi_warga_day, ktp_baru, django_capture_on_commit_callbacks
):
    from pencet.outreach.selectors import service_day_slots
    from pencet.outreach.services import booking_cancel, booking_create

    contact = follows_her_village(sari, bonto_katute, django_capture_on_commit_callbacks)
    nine = service_day_slots(day=pelangi_warga_day)[0].starts_at
    first = booking_create(contact=None, service=ktp_baru, starts_at=nine, service_day=pelangi_warga_day, name="A")
    booking_create(contact=None, service=ktp_baru, starts_at=nine, service_day=pelangi_warga_day, name="B")
    assert nine not in [s.starts_at for s in service_day_slots(day=pelangi_warga_day)]
    sari.say("mau rekam KTP-el baru")
    sari.tap(sari.option("Bonto Katute"))
    assert [title[-5:] for _id, title in sari.options()] == ["10.00", "11.00"]
    booking_cancel(booking=first, notify=False)
    assert nine in [s.starts_at for s in service_day_slots(day=pelangi_warga_day)]
    assert contact.bookings.count() == 0


def test_sari_moves_then_cancels_her_booking_from_whatsapp(
    sari, bonto_katute, pelangi_warga_day, django_capture_on_commit_callbacks
):
    contact = follows_her_village(sari, bonto_katute, django_capture_on_commit_callbacks)
    sari.say("mau rekam KTP-el baru")
    sari.tap(sari.option("Bonto Katute"))
    sari.tap(sari.options()[0][0])
    booking = Booking.objects.get(contact=contact)
    sari.tap(f"ol:m:{booking.pk}")
    moved = said(sari.tap(sari.options()[1][0]))  # 10.00
    booking.refresh_from_db()
    assert timezone.localtime(booking.starts_at, WITA).time() == time(10, 0) and booking.moves == 1
    assert "10.00" in moved
    assert "dibatalkan" in said(sari.tap(f"ol:x:{booking.pk}"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    # A stale tap on the old confirmation changes nothing.
    assert "sudah tidak berlaku" in said(sari.tap(f"ol:x:{booking.pk}"))


def test_berhenti_stops_the_announcements_and_it_is_recorded(
    sari, andi, bonto_katute, pelangi_warga_day, templates, django_capture_on_commit_callbacks
):
    follows_her_village(sari, bonto_katute, django_capture_on_commit_callbacks)
    assert "tidak akan menerima info" in said(sari.say("BERHENTI"))
    with django_capture_on_commit_callbacks(execute=True):
        announcement = service_day_announce(service_day=pelangi_warga_day, actor=andi)
    assert announcement.recipients.count() == 0
    assert "pencet_service_day_announcement" not in sari.last_text()


def test_announcements_beyond_the_daily_allowance_wait_for_the_next_run(
    office, andi, bonto_katute, pelangi_warga_day, templates, settings, django_capture_on_commit_callbacks
):
    from pencet.outreach.models import Subscription
    from pencet.outreach.services import announcements_send

    settings.PENCET_ANNOUNCEMENT_DAILY_LIMIT = 2
    for n in range(3):
        contact = Contact.objects.create(office=office, phone=f"62812000000{n}")
        Subscription.objects.create(office=office, contact=contact, village=bonto_katute)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = service_day_announce(service_day=pelangi_warga_day, actor=andi)
    states = sorted(announcement.recipients.values_list("state", flat=True))
    assert states == ["queued", "queued", "waiting"]
    queued = announcement.recipients.filter(state=AnnouncementRecipient.State.QUEUED).first()
    assert queued.message.kind == "template"
    assert announcements_send(office=office) == 0


def test_after_applying_for_a_ktp_el_online_the_citizen_is_offered_the_days_near_her_village(
    sari, andi, ktp_baru, pelangi_warga_day, in_three_days
):
    from pencet.outreach.models import Programme, ServiceDay
    from pencet.outreach.services import service_day_plan
    from pencet.regions.models import Region
    from tests.bot.conftest import document_photo
    from tests.bot.test_conversation import NIK_SARI

    from .conftest import tap_earlier

    far = Region.objects.filter(parent_id="73.07.01", level=4).first()
    service_day_plan(
        office=andi.office, actor=andi, programme=Programme.PELANGI_WARGA, place="SMA 1 Sinjai Barat",
        place_kind=ServiceDay.PlaceKind.SCHOOL, village=far, day=in_three_days, starts_at=time(8, 0),
        ends_at=time(10, 0), services=[ktp_baru], capacity_per_hour=5,
    )  # fmt: skip
    sari.say("halo")
    sari.tap("grp:ktp")
    sari.tap("svc:ktp-baru")
    # Before she said where she lives, both days are offered; she applies online first (the earlier button).
    assert {t for _i, t in sari.options()} >= {"Bonto Katute", far.name[:24]}
    tap_earlier(sari, "apply")
    sari.photo(document_photo(seed=71))
    sari.tap("done")
    sari.tap("skip")
    sari.say("Sari Wahyuni")
    sari.say(NIK_SARI)
    sari.tap("nik_ok")
    sari.tap("dist:73.07.07")
    sari.tap("vil:73.07.07.2007")
    sari.tap("prio:none")
    answers = sari.tap("submit")
    assert "layanan keliling" in said(answers)
    # Now that she lives in Bonto Katute, only the day in her district (Sinjai Borong) is offered.
    assert [t for _i, t in sari.options()] == ["Bonto Katute"]


def test_the_last_seat_goes_once_a_later_tap_on_it_is_told_the_hour_is_full(
    client, office, fake_graph, ktp_baru, pelangi_warga_day
):
    from tests.bot.conftest import Citizen

    first = Citizen(client, fake_graph, phone="6281211110001", user_id="ID.satu", name="Satu")
    second = Citizen(client, fake_graph, phone="6281211110002", user_id="ID.dua", name="Dua")
    pelangi_warga_day.capacity_per_hour = 1
    pelangi_warga_day.save()
    for person in (first, second):
        person.say("mau rekam KTP-el baru")
        person.tap(person.option("Bonto Katute"))
    nine = first.options()[0][0]
    assert second.options()[0][0] == nine  # both saw 09.00 free
    assert "Janji temu tercatat" in said(first.tap(nine))
    assert "sudah penuh" in said(second.tap(nine))
    assert Booking.objects.filter(service_day=pelangi_warga_day).count() == 1


def test_info_desa_follows_the_village_of_her_application_and_berhenti_ends_it(sari, office, bonto_katute, ktp_baru):
    from pencet.cases import services as cases
    from pencet.outreach.models import Subscription

    assert "belum tahu desa Anda" in said(sari.say("INFO DESA"))
    contact = Contact.objects.get(phone=sari.phone)
    cases.application_create(office=office, service=ktp_baru, contact=contact, village=bonto_katute)
    assert "info layanan keliling untuk Bonto Katute" in said(sari.say("info desa"))
    assert Subscription.objects.get(contact=contact).village == bonto_katute
    sari.say("berhenti")
    assert Subscription.objects.get(contact=contact).opted_out_at is not None
