"""The completeness review: accept in few keystrokes, return with items, reject, warnings, files."""

import re

import pytest
from django.urls import reverse

from pencet.cases.models import ReviewItem, Status

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _page(client, application):
    return client.get(reverse("console:application", args=[application.tracking_code]))


def test_a_complete_application_is_accepted_with_enter_enter_from_the_queue(
    client_as, make_application, attach, akta_kelahiran
):
    application = make_application(Status.SUBMITTED)
    for requirement in akta_kelahiran.requirements.filter(optional=False):
        attach(application, requirement=requirement)
    client = client_as("andi")
    queue = client.get(reverse("console:queue", args=["submitted"])).content.decode()
    # 1: the first row's link has the focus, Enter opens it.
    first_link = re.search(r'<a href="([^"]+)" autofocus class="code">', queue)
    assert first_link and first_link.group(1) == reverse("console:application", args=[application.tracking_code])
    # 2: on the review page the accept button has the focus (and Alt+T), Enter accepts.
    page = client.get(first_link.group(1)).content.decode()
    assert re.search(r'<button class="primary big" type="submit" data-autofocus accesskey="t" id="accept">', page)
    response = client.post(reverse("console:review", args=[application.tracking_code]), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("console:queue", args=["submitted"])
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_returning_tells_the_citizen_exactly_which_requirement_to_fix(client_as, make_application, akta_kelahiran):
    application = make_application(Status.SUBMITTED)
    kk = akta_kelahiran.requirements.get(code="kk")
    client = client_as("andi")
    data = {"decision": "return", "note": "Mohon kirim ulang"}
    for requirement in akta_kelahiran.requirements.all():
        data[f"verdict_{requirement.pk}"] = ReviewItem.Verdict.OK
    data[f"verdict_{kk.pk}"] = ReviewItem.Verdict.UNREADABLE
    data[f"reason_{kk.pk}"] = "Foto buram"
    data[f"note_{kk.pk}"] = "bagian nomor KK tidak terbaca"
    response = client.post(reverse("console:review", args=[application.tracking_code]), data, follow=True)
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    item = application.review_items.get(requirement=kk)
    assert item.verdict == ReviewItem.Verdict.UNREADABLE
    assert item.reason == "Foto buram — bagian nomor KK tidak terbaca"
    assert not item.resolved
    event = application.events.get(kind="return")
    assert [i["requirement"] for i in event.data["items"]] == ["kk"]
    assert "pemohon diberi tahu lewat WhatsApp" in response.content.decode()


def test_returning_with_every_item_ok_is_refused_with_a_message_not_an_error(
    client_as, make_application, akta_kelahiran
):
    application = make_application(Status.SUBMITTED)
    data = {"decision": "return"}
    for requirement in akta_kelahiran.requirements.all():
        data[f"verdict_{requirement.pk}"] = ReviewItem.Verdict.OK
    response = client_as("andi").post(reverse("console:review", args=[application.tracking_code]), data, follow=True)
    assert response.status_code == 200
    assert "Pilih minimal satu persyaratan" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_rejecting_needs_a_reason(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client = client_as("andi")
    url = reverse("console:review", args=[application.tracking_code])
    response = client.post(url, {"decision": "reject", "reason": ""}, follow=True)
    assert "Alasan penolakan wajib diisi." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    client.post(url, {"decision": "reject", "reason": "Bukan warga Kabupaten Sinjai"})
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.close_reason == "Bukan warga Kabupaten Sinjai"


def test_an_operator_who_tries_to_accept_sees_why_and_nothing_changes(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    response = client_as("budi").post(
        reverse("console:review", args=[application.tracking_code]), {"decision": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert "tidak dapat melakukan" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_review_page_warns_about_a_possible_duplicate(client_as, make_application):
    first = make_application(Status.SUBMITTED)
    second = make_application(Status.SUBMITTED)
    page = _page(client_as("andi"), second).content.decode()
    assert 'data-warning="duplicate"' in page
    assert first.tracking_code in page


def test_the_review_page_warns_when_one_phone_applies_for_many_niks(client_as, make_application):
    for nik in ("7307075203150001", "7307071203150002"):
        make_application(Status.SUBMITTED, nik=nik, phone="6281299990000")
    third = make_application(Status.SUBMITTED, nik="7307070101900003", phone="6281299990000")
    page = _page(client_as("andi"), third).content.decode()
    assert 'data-warning="phone_many_niks"' in page
    assert 'data-warning="duplicate"' not in page


def test_the_review_page_shows_what_the_nik_encodes(client_as, make_application):
    application = make_application(Status.SUBMITTED, nik="7307075203150001")
    page = _page(client_as("andi"), application).content.decode()
    assert "Struktur NIK sesuai" in page
    assert "perempuan" in page
    assert "12-03-2015" in page


def test_an_invalid_nik_is_flagged_on_the_review_page(client_as, make_application):
    application = make_application(Status.SUBMITTED, nik="7307079903150000")
    page = _page(client_as("andi"), application).content.decode()
    assert "NIK tidak sesuai struktur" in page


def test_attachments_are_shown_beside_the_checklist_and_served_inline(
    client_as, make_application, attach, akta_kelahiran
):
    application = make_application(Status.SUBMITTED)
    kk = akta_kelahiran.requirements.get(code="kk")
    photo = attach(application, requirement=kk)
    pdf = attach(application, data=PDF_BYTES, content_type="application/pdf")
    client = client_as("andi")
    page = _page(client, application).content.decode()
    photo_url = reverse("console:attachment", args=[application.tracking_code, photo.pk])
    pdf_url = reverse("console:attachment", args=[application.tracking_code, pdf.pk])
    assert f'<img src="{photo_url}"' in page
    assert 'data-view="right"' in page
    assert f'<object data="{pdf_url}" type="application/pdf"' in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"


def test_an_incomplete_application_puts_the_focus_on_return_not_accept(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    page = _page(client_as("andi"), application).content.decode()
    assert 'id="return" data-autofocus' in page
    assert 'data-autofocus accesskey="t"' not in page


def test_a_requirement_without_a_file_is_preselected_as_missing(client_as, make_application, attach, akta_kelahiran):
    application = make_application(Status.SUBMITTED)
    kk = akta_kelahiran.requirements.get(code="kk")
    attach(application, requirement=kk)
    page = _page(client_as("andi"), application).content.decode()
    kk_select = re.search(rf'<select name="verdict_{kk.pk}".*?</select>', page, re.S).group(0)
    assert '<option value="ok" selected>' in kk_select
    other = akta_kelahiran.requirements.exclude(pk=kk.pk).filter(optional=False, alternative_group="").first()
    other_select = re.search(rf'<select name="verdict_{other.pk}".*?</select>', page, re.S).group(0)
    assert '<option value="missing" selected>' in other_select
