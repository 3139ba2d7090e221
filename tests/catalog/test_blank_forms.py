"""The blank forms the catalogue's requirements name exist as printable A4 PDFs with the office's name."""

import io

import pikepdf
import pytest

from pencet.catalog.blank_forms import BLANK_FORMS
from pencet.catalog.models import Requirement
from pencet.catalog.services import blank_form_stored

pytestmark = pytest.mark.django_db

A4 = [0, 0, 595.2756, 841.8898]


def test_every_requirement_that_is_a_form_is_linked_to_its_blank_form(catalog):
    forms = dict(Requirement.objects.filter(service__code="akta-kelahiran").values_list("code", "form"))
    assert forms["formulir"] == "F-2.01"
    assert forms["sptjm-kelahiran"] == "F-2.03" and forms["sptjm-suami-istri"] == "F-2.04"
    assert forms["kk"] == "" and forms["surat-kelahiran"] == ""
    assert Requirement.objects.get(service__code="pindah-keluar", code="formulir").form == "F-1.03"
    assert Requirement.objects.get(service__code="akta-perkawinan", code="formulir").form == "F-2.12"
    assert Requirement.objects.get(service__code="kk-baru", code="sptjm-kawin-belum-tercatat").form == "F-1.06"
    assert Requirement.objects.get(service__code="akta-perceraian", code="sptjm-perkawinan").form == "F-1.06"
    named = Requirement.objects.filter(name__regex=r"F-[12]\.[0-9]{2}")
    assert named.exists() and not named.filter(form="").exists()


@pytest.mark.parametrize("code", ["F-1.01", "F-1.03", "F-1.06", "F-2.01", "F-2.03", "F-2.04", "F-2.12"])
def test_each_blank_form_is_an_a4_pdf_titled_with_its_code_and_name(code):
    from django.core.files.storage import default_storage

    name = blank_form_stored(
        code=code, office_code="SNJ", office_name="Disdukcapil Kabupaten Sinjai", office_address="Jl. Persatuan Raya"
    )
    with default_storage.open(name, "rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        assert str(pdf.docinfo["/Title"]) == f"{code} {BLANK_FORMS[code].title}"
        assert str(pdf.docinfo["/Author"]) == "Disdukcapil Kabupaten Sinjai"
        assert all([round(float(v), 2) for v in page.MediaBox] == [round(v, 2) for v in A4] for page in pdf.pages)
        drawn = pdf.pages[0].Contents.read_bytes()
        assert b"(DISDUKCAPIL KABUPATEN SINJAI) Tj" in drawn and f"({code}) Tj".encode() in drawn


def test_a_new_office_name_draws_a_new_form():
    before = blank_form_stored(code="F-2.01", office_code="SNJ", office_name="Disdukcapil Kabupaten Sinjai")
    again = blank_form_stored(code="F-2.01", office_code="SNJ", office_name="Disdukcapil Kabupaten Sinjai")
    renamed = blank_form_stored(code="F-2.01", office_code="SNJ", office_name="Dinas Dukcapil Kabupaten Sinjai")
    assert before == again != renamed
