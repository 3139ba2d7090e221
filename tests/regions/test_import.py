import pytest

from pencet.regions.models import Region
from pencet.regions.services import region_import

SINJAI_DISTRICTS = {
    "73.07.01": "Sinjai Barat",
    "73.07.02": "Sinjai Selatan",
    "73.07.03": "Sinjai Timur",
    "73.07.04": "Sinjai Tengah",
    "73.07.05": "Sinjai Utara",
    "73.07.06": "Bulupoddo",
    "73.07.07": "Sinjai Borong",
    "73.07.08": "Tellu Limpoe",
    "73.07.09": "Pulau Sembilan",
}


@pytest.mark.django_db
def test_importing_sinjai_gives_its_nine_districts_by_name():
    region_import(prefix="73.07")
    sinjai = Region.objects.get(code="73.07")
    assert sinjai.name == "Kabupaten Sinjai"
    assert sinjai.kind == "kabupaten"
    assert sinjai.level == Region.Level.REGENCY
    assert sinjai.parent.name == "Sulawesi Selatan"
    assert dict(sinjai.children.values_list("code", "name")) == SINJAI_DISTRICTS
    assert set(sinjai.children.values_list("level", flat=True)) == {Region.Level.DISTRICT}


@pytest.mark.django_db
def test_bonto_katute_is_a_desa_under_sinjai_borong():
    region_import(prefix="73.07")
    village = Region.objects.get(code="73.07.07.2007")
    assert village.name == "Bonto Katute"
    assert village.kind == "desa"
    assert village.level == Region.Level.VILLAGE
    assert village.parent_id == "73.07.07"
    assert village.parent.name == "Sinjai Borong"


@pytest.mark.django_db
def test_a_prefix_import_brings_only_that_region_and_its_ancestors(no_regions):
    region_import(prefix="73.07")
    assert set(Region.objects.filter(level__lte=Region.Level.REGENCY).values_list("code", flat=True)) == {"73", "73.07"}
    assert not Region.objects.exclude(code="73").exclude(code__startswith="73.07").exists()


@pytest.mark.django_db
def test_importing_twice_changes_nothing():
    first = region_import(prefix="73.07")
    rows = set(Region.objects.values_list("code", "name", "level", "kind", "parent_id", "postal_code"))
    second = region_import(prefix="73.07")
    assert second == first
    assert set(Region.objects.values_list("code", "name", "level", "kind", "parent_id", "postal_code")) == rows
    assert Region.objects.count() == len(rows)


@pytest.mark.django_db
def test_a_reimport_restores_a_name_changed_by_hand():
    region_import(prefix="73.07")
    Region.objects.filter(code="73.07.07.2007").update(name="Bontokatute")
    region_import(prefix="73.07")
    assert Region.objects.get(code="73.07.07.2007").name == "Bonto Katute"


@pytest.mark.slow
@pytest.mark.django_db
def test_the_full_import_has_38_provinces_and_514_regencies_and_cities():
    region_import()
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514
    assert Region.objects.filter(level=Region.Level.REGENCY, kind="kota").count() > 90
    assert Region.objects.get(code="73.07.07.2007").name == "Bonto Katute"
