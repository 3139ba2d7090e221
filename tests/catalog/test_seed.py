"""The national catalogue as seeded: every service of REFERENCE.md, WhatsApp-sized names, alternatives, deadlines."""

import pytest
from django.core.exceptions import ValidationError

from pencet.catalog.models import Requirement, Service
from pencet.catalog.services import catalog_seed

pytestmark = pytest.mark.django_db

REFERENCE_SERVICES = {
    "kk-baru",
    "kk-perubahan",
    "kk-hilang-rusak",
    "ktp-baru",
    "ktp-perubahan",
    "ktp-hilang-rusak",
    # Issue 16: the biometric update the recording desk serves (Pelangi Warga, Sayang Dilan).
    "ktp-rekam-ulang",
    "kia",
    "akta-kelahiran",
    "akta-kematian",
    "akta-perkawinan",
    "akta-perceraian",
    "pindah-keluar",
    "pindah-datang",
}


def test_every_service_of_the_reference_and_both_bundles_are_seeded(catalog):
    assert set(Service.objects.filter(is_bundle=False).values_list("code", flat=True)) == REFERENCE_SERVICES
    one_three = Service.objects.get(code="one-three")
    assert set(one_three.components.values_list("code", flat=True)) == {"akta-kelahiran", "kk-perubahan", "kia"}
    death = Service.objects.get(code="kematian-kk")
    assert set(death.components.values_list("code", flat=True)) == {"akta-kematian", "kk-perubahan", "ktp-perubahan"}


def test_every_name_a_whatsapp_list_shows_fits_in_24_characters(catalog):
    too_long = [s.short_name for s in Service.objects.all() if len(s.short_name) > 24]
    too_long += [r.short_name for r in Requirement.objects.all() if len(r.short_name) > 24]
    assert too_long == []


def test_a_birth_certificate_accepts_an_sptjm_instead_of_a_birth_letter(catalog):
    service = Service.objects.get(code="akta-kelahiran")
    birth_proof = service.requirements.filter(alternative_group="bukti-lahir")
    assert set(birth_proof.values_list("code", flat=True)) == {"surat-kelahiran", "sptjm-kelahiran"}
    marriage = service.requirements.filter(alternative_group="perkawinan")
    assert set(marriage.values_list("code", flat=True)) == {"buku-nikah", "sptjm-suami-istri"}
    assert service.requirements.get(code="laporan-polisi").optional


@pytest.mark.parametrize(
    ("code", "days"),
    [
        ("akta-kelahiran", 60),
        ("akta-kematian", 30),
        ("akta-perkawinan", 60),
        ("akta-perceraian", 60),
        ("kk-baru", None),
    ],
)
def test_legal_deadlines_follow_uu_24_2013(catalog, code, days):
    assert Service.objects.get(code=code).legal_deadline_days == days


def test_only_the_first_recording_and_the_biometric_update_need_a_visit_for_biometrics(catalog):
    biometric = Service.objects.filter(needs_biometric=True).values_list("code", flat=True)
    assert sorted(biometric) == ["ktp-baru", "ktp-rekam-ulang"]


def test_the_services_that_need_the_citizen_in_person_say_why(catalog):
    in_person = dict(Service.objects.exclude(in_person="").values_list("code", "in_person"))
    assert in_person == {
        "ktp-baru": "recording",
        "ktp-rekam-ulang": "biometric",
        "pindah-datang": "originals",
        "akta-perceraian": "originals",
    }
    originals = Requirement.objects.filter(original_shown=True).values_list("service__code", "code")
    assert sorted(originals) == [("akta-perceraian", "putusan-pengadilan"), ("pindah-datang", "skpwni")]


def test_seeding_again_adds_nothing_and_keeps_an_offices_edits(catalog):
    service = Service.objects.get(code="kia")
    service.target_working_hours = 4
    service.save()
    counts = (Service.objects.count(), Requirement.objects.count())
    assert catalog_seed() == 0
    assert (Service.objects.count(), Requirement.objects.count()) == counts
    service.refresh_from_db()
    assert service.target_working_hours == 4


def test_birth_and_death_certificates_ask_for_their_subjects_data():
    catalog_seed()
    birth = Service.objects.get(code="akta-kelahiran")
    assert birth.subject_fields == [
        "child_name",
        "child_sex",
        "child_birth_date",
        "child_birth_place",
        "father_name",
        "mother_name",
    ]
    assert Service.objects.get(code="akta-kematian").subject_fields == [
        "deceased_name",
        "deceased_nik",
        "death_date",
        "death_place",
    ]
    assert Service.objects.get(code="ktp-hilang-rusak").subject_fields == []


def test_cards_are_only_picked_up_and_printed_documents_travel_too():
    catalog_seed()
    for code in ("ktp-baru", "ktp-perubahan", "ktp-hilang-rusak", "ktp-rekam-ulang", "kia"):
        assert Service.objects.get(code=code).delivery_modes == ["pickup"], code
    # A bundle goes document by document: its PDFs travel, its card is picked up (cases.policies.component_travels).
    for code in ("akta-kelahiran", "akta-kematian", "kk-baru", "kk-hilang-rusak", "one-three", "kematian-kk"):
        assert Service.objects.get(code=code).delivery_modes == ["email", "whatsapp", "pickup"], code


def test_a_service_naming_an_unknown_field_or_no_delivery_mode_is_refused_in_the_admin():
    catalog_seed()
    service = Service.objects.get(code="akta-kelahiran")
    service.subject_fields = ["child_name", "shoe_size"]
    with pytest.raises(ValidationError, match="shoe_size"):
        service.clean()
    service.subject_fields = ["child_name"]
    service.delivery_modes = []
    with pytest.raises(ValidationError):
        service.clean()
