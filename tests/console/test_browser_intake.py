"""In a real headless Chromium on a phone: village staff register an application, mistype the NIK, and finish
without choosing the KK photo again; then they find it under "Pengajuan saya"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases.models import Application, Status

from .conftest import PHONE, csp_violations, jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_village_staff_on_a_phone_keep_their_uploaded_file_across_a_form_error(open_as, live_server, tmp_path):
    page = open_as("fajar", PHONE)
    photo = tmp_path / "kk-hasnah.jpg"
    photo.write_bytes(jpeg_bytes(size=(900, 600)))
    page.goto(f"{live_server.url}/daftar/akta-kelahiran/")
    # Their own village is chosen already.
    assert page.locator("#id_village").input_value() == "73.07.07.2007"
    page.fill("input[name=applicant_name]", "Hasnah")
    page.fill("input[name=nik]", "7307 0752 0315")  # four digits short
    page.fill("input[name=subject_child_name]", "Muhammad Rizki")
    page.select_option("select[name=subject_child_sex]", "L")
    page.fill("input[name=subject_child_birth_date]", (timezone.localdate() - timedelta(days=7)).strftime("%d-%m-%Y"))
    page.fill("input[name=subject_child_birth_place]", "Sinjai")
    page.fill("input[name=subject_father_name]", "Basri")
    page.fill("input[name=subject_mother_name]", "Hasnah")
    page.locator("label", has_text="Kartu Keluarga").locator("input[type=file]").set_input_files(str(photo))
    with page.expect_navigation():
        page.click("form.intake button.primary")

    kept = page.locator("#kept-files [data-kept='kk-hasnah.jpg']")
    assert kept.is_visible()
    assert "Kartu Keluarga: kk-hasnah.jpg" in kept.inner_text()
    assert kept.locator("input[type=checkbox]").is_checked()
    # The list of kept files fits the phone's width: nothing to scroll sideways to.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not Application.objects.exists()

    page.fill("input[name=nik]", "7307 0752 0315 0001")
    with page.expect_navigation():
        page.click("form.intake button.primary")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert [a.original_name for a in application.attachments.all()] == ["kk-hasnah.jpg"]

    page.click("nav.main-nav >> text=Pengajuan saya")
    page.wait_for_url("**/pengajuan-saya/")
    row = page.locator("table.rows tbody tr").first
    assert application.tracking_code in row.inner_text()
    assert "Menunggu pemeriksaan" in row.inner_text()
    assert csp_violations(page) == []
