"""The data of the person a document is for (issue 10, point 6), as a citizen answers it through the signed webhook,
and the delivery modes each service's product allows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases.models import Application, DeliveryPreference, Status

from .conftest import said
from .test_conversation import NIK_SARI, apply_for

pytestmark = pytest.mark.django_db


def send_every_file(citizen) -> None:
    """A photo for each requirement, skipping the optional ones, up to the applicant's name."""
    chose = False
    for _turn in range(12):
        if "nama lengkap" in citizen.last_text():
            return
        ids = [i for i, _t in citizen.options()]
        if "opsional" in citizen.last_text() and "skip" in ids:
            citizen.tap("skip")
        elif ids and ids[0].startswith("alt:") and not chose:
            citizen.tap(ids[0])
            chose = True
        else:
            chose = False
            citizen.photo()
            citizen.tap("done")
    raise AssertionError(f"never reached the name question: {citizen.last_text()}")


def applicant(citizen) -> None:
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)
    citizen.tap("nik_ok")


def test_a_mother_applying_for_akta_kelahiran_is_asked_her_childs_data_and_can_correct_it(citizen):
    apply_for(citizen, "akta-kelahiran", "akta")
    send_every_file(citizen)
    applicant(citizen)
    assert "Nama lengkap anak" in citizen.last_text()
    answers = citizen.say("Nur Aisyah")
    assert "Jenis kelamin anak" in said(answers)
    assert [t for _i, t in citizen.options()] == ["Laki-laki", "Perempuan"]
    answers = citizen.tap("sex:P")
    assert "Tanggal lahir anak" in said(answers)
    answers = citizen.say("besok")
    assert "Tanggal belum terbaca" in said(answers)
    born = timezone.localdate() - timedelta(days=5)
    answers = citizen.say(born.strftime("%d-%m-%Y"))
    assert "Tempat lahir anak" in said(answers)
    answers = citizen.say("12345")
    assert "Tempat belum terbaca" in said(answers)
    citizen.say("RSUD Sinjai")
    answers = citizen.say("Ahmad Yani")
    assert "ibu anak" in said(answers)
    answers = citizen.say("Sari Wahyuni")
    # The birth date was the event date: no second question about it.
    assert "kecamatan" in said(answers)
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    citizen.tap("skip")
    answers = citizen.tap("deliv:whatsapp")
    summary = said(citizen.tap("prio:none")) if "lansia" in said(answers) else said(answers)
    assert "Nama anak: Nur Aisyah" in summary
    assert "Tempat lahir anak: RSUD Sinjai" in summary and "Nama ayah: Ahmad Yani" in summary

    citizen.tap("edit")
    assert "Nama anak" in [t for _i, t in citizen.options()]
    citizen.tap("edit:subject_child_name")
    answers = citizen.say("Nur Aisyah Putri")
    assert "Nama anak: Nur Aisyah Putri" in said(answers)
    citizen.tap("submit")

    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.subject == {
        "child_name": "Nur Aisyah Putri",
        "child_sex": "P",
        "child_birth_date": born.isoformat(),
        "child_birth_place": "RSUD Sinjai",
        "father_name": "Ahmad Yani",
        "mother_name": "Sari Wahyuni",
    }
    assert application.event_date == born
    # The timeline says which fields changed, never the names themselves.
    changes = application.events.filter(kind="details_changed")
    assert ["subject.child_name"] in [e.data["fields"] for e in changes]
    assert not any("Nur Aisyah" in str(e.data) for e in application.events.all())


def test_akta_kematian_asks_for_the_deceased_and_the_nik_may_be_unknown(citizen):
    apply_for(citizen, "akta-kematian", "akta")
    send_every_file(citizen)
    applicant(citizen)
    answers = citizen.say("La Baco")
    assert "NIK almarhum" in said(answers)
    answers = citizen.say("1234")
    assert "16 angka" in said(answers)
    citizen.tap("subject:unknown")
    died = timezone.localdate() - timedelta(days=3)
    answers = citizen.say(died.strftime("%d/%m/%Y"))
    assert "Tempat kematian" in said(answers)
    citizen.say("Desa Bonto Katute")
    application = Application.objects.get()
    assert application.subject == {
        "deceased_name": "La Baco",
        "death_date": died.isoformat(),
        "death_place": "Desa Bonto Katute",
    }
    assert application.event_date == died


def test_a_ktp_el_card_is_only_picked_up_so_the_delivery_question_is_not_asked(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    send_every_file(citizen)
    applicant(citizen)
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    answers = citizen.say("sari@example.com")
    assert "Bagaimana dokumen diserahkan" not in said(answers)
    assert "lansia" in said(answers)
    answers = citizen.tap("prio:none")
    assert "Cara penyerahan: Ambil di kantor" in said(answers)
    citizen.tap("edit")
    assert "edit:delivery" not in [i for i, _t in citizen.options()]
    assert Application.objects.get().delivery_preference == DeliveryPreference.PICKUP
