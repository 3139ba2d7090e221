"""The officers' side: Andi plans a service day in the console and a home visit from an application's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pencet.outreach.models import HomeVisit, ServiceDay

from .test_sayang_dilan import elderly_application  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_andi_plans_a_pelangi_warga_day_at_a_school(andi_console, andi, bonto_katute, ktp_baru):
    day = timezone.localdate() + timedelta(days=10)
    response = andi_console.post(
        reverse("console:service_days"),
        {
            "programme": "pelangi_warga",
            "place": "SMA Negeri 5 Sinjai",
            "place_kind": "school",
            "village": bonto_katute.pk,
            "date": day.isoformat(),
            "starts_at": "08:00",
            "ends_at": "11:00",
            "services": [ktp_baru.pk],
            "capacity_per_hour": "15",
        },
    )
    planned = ServiceDay.objects.get()
    assert response.status_code == 302 and planned.place == "SMA Negeri 5 Sinjai"
    assert list(planned.services.all()) == [ktp_baru] and planned.created_by == andi
    page = andi_console.get(reverse("console:service_days")).content.decode()
    assert "SMA Negeri 5 Sinjai" in page


def test_a_village_outside_the_regency_is_refused(andi_console, ktp_baru):
    from pencet.regions.models import Region

    bone_village = Region.objects.filter(code__startswith="73.08.", level=4).first()
    andi_console.post(
        reverse("console:service_days"),
        {"programme": "laki_keren", "place": "Kantor Desa", "place_kind": "village_office", "village": bone_village.pk,
         "date": "2027-01-05", "starts_at": "08:00", "ends_at": "11:00", "services": [ktp_baru.pk],
         "capacity_per_hour": "5"},
    )  # fmt: skip
    assert not ServiceDay.objects.exists()


def test_andi_plans_a_home_visit_from_the_application_page(andi_console, andi, budi, elderly_application, fake_graph):  # noqa: F811
    code = elderly_application.tracking_code
    page = andi_console.get(reverse("console:application", args=[code])).content.decode()
    assert "Rencanakan kunjungan rumah" in page and "Tak bisa keluar rumah" in page
    when = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    andi_console.post(
        reverse("console:home_visit_plan", args=[code]),
        {"planned_for": when, "officers": [andi.pk, budi.pk], "address": "Dusun Bonto RT 02", "bring": "Alat rekam"},
    )
    visit = HomeVisit.objects.get()
    assert set(visit.officers.all()) == {andi, budi}
    andi_console.post(
        reverse("console:home_visit_record", args=[code, visit.pk]), {"done": "0", "outcome": "Rumah kosong."}
    )
    visit.refresh_from_db()
    assert visit.status == HomeVisit.Status.FAILED and visit.outcome == "Rumah kosong."


def test_a_programme_announcement_reaches_only_its_followers_as_the_approved_template(
    andi_console, office, templates, fake_graph, django_capture_on_commit_callbacks
):
    from pencet.outreach.models import Subscription
    from pencet.whatsapp.models import Contact

    follower = Contact.objects.create(office=office, phone="6281200000001")
    Subscription.objects.create(office=office, contact=follower, programme="sayang_dilan")
    other = Contact.objects.create(office=office, phone="6281200000002")
    Subscription.objects.create(office=office, contact=other, programme="laki_keren")
    with django_capture_on_commit_callbacks(execute=True):
        andi_console.post(
            reverse("console:programme_announce"),
            {"programme": "sayang_dilan", "message": "Layanan di rumah untuk lansia mulai bulan ini."},
        )
    assert fake_graph.last_text(to="6281200000001").startswith("pencet_programme_announcement Sayang Dilan")
    assert fake_graph.sent(to="6281200000002") == []
    page = andi_console.get(reverse("console:service_days")).content.decode()
    assert "pencet_programme_announcement" in page
