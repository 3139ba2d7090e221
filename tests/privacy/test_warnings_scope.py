"""The duplicate and anti-broker warnings speak only of applications the reader may see."""

import pytest

from pencet.cases.selectors import application_warnings
from pencet.regions.models import Region

pytestmark = pytest.mark.django_db

NIK = "7307075203150001"


@pytest.fixture
def rudis_village(rudi) -> Region:
    return rudi.villages.get()


def test_village_staff_are_not_told_of_a_duplicate_filed_in_another_village(
    client_as, make_application, rudis_village, fajar, andi
):
    elsewhere = make_application(village=rudis_village)
    here = make_application()

    assert [w.code for w in application_warnings(application=here, user=fajar)] == []
    page = client_as("fajar").get(f"/permohonan/{here.tracking_code}/").content.decode()
    assert elsewhere.tracking_code not in page
    assert 'data-warning="duplicate"' not in page

    # The service officer, who reviews, still sees the whole office.
    warnings = application_warnings(application=here, user=andi)
    assert [(w.code, [o.tracking_code for o in w.others]) for w in warnings] == [
        ("duplicate", [elsewhere.tracking_code])
    ]
    assert elsewhere.tracking_code in client_as("andi").get(f"/permohonan/{here.tracking_code}/").content.decode()


def test_village_staff_still_see_a_duplicate_in_their_own_village(make_application, fajar):
    first = make_application()
    second = make_application()
    warnings = application_warnings(application=second, user=fajar)
    assert [(w.code, [o.tracking_code for o in w.others]) for w in warnings] == [("duplicate", [first.tracking_code])]


def test_one_phone_many_niks_counts_only_what_village_staff_may_see(make_application, rudis_village, fajar, andi):
    phone = "6281234599999"
    make_application(nik="7307071010800003", phone=phone, village=rudis_village)
    make_application(nik="7307071010800004", phone=phone, village=rudis_village)
    here = make_application(nik=NIK, phone=phone)
    assert [w.code for w in application_warnings(application=here, user=andi)] == ["phone_many_niks"]
    assert [w.code for w in application_warnings(application=here, user=fajar)] == []


def test_search_and_queue_rows_show_the_nik_masked_to_everyone(client_as, make_application):
    application = make_application()
    for persona in ("andi", "gita", "dewi"):
        search = client_as(persona).get("/cari/", {"q": "Siti"}).content.decode()
        assert application.tracking_code in search, persona
        assert NIK not in search, persona
    queue = client_as("andi").get("/antrean/submitted/").content.decode()
    assert application.tracking_code in queue and NIK not in queue
