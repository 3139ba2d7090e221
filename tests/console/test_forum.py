"""Forum and SIAK, verification, signature (one or many), output, delivery and pickup from the console."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pencet.accounts.models import Role
from pencet.accounts.services import user_create
from pencet.cases.models import DeliveryPreference, Status
from pencet.delivery import services as delivery_services
from tests.conftest import PASSWORD

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _url(name, application, *args):
    return reverse(f"console:{name}", args=[application.tracking_code, *args])


def test_an_operator_claims_from_the_forum_and_others_see_who_holds_it(client_as, make_application, office):
    application = make_application(Status.ACCEPTED)
    client_as("budi").post(_url("claim", application))
    application.refresh_from_db()
    assert application.status == Status.IN_PROCESS
    assert application.claimed_by.username == "budi"
    page = client_as("gita").get(_url("application", application)).content.decode()
    assert "Dipegang Budi" in page


def test_another_operator_cannot_release_what_budi_holds_but_budi_can(client_as, make_application, office, people):
    application = make_application(Status.IN_PROCESS)
    people["yusuf"] = user_create(username="yusuf", office=office, roles=[Role.OPERATOR], first_name="Yusuf")
    response = client_as("yusuf").post(_url("release", application), follow=True)
    assert "dipegang operator lain" in response.content.decode()
    application.refresh_from_db()
    assert application.claimed_by.username == "budi"
    client_as("budi").post(_url("release", application))
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert application.claimed_by is None


def test_the_admin_hands_a_held_application_to_another_operator(client_as, make_application, office, people):
    application = make_application(Status.IN_PROCESS)
    yusuf = user_create(username="yusuf", office=office, roles=[Role.OPERATOR], first_name="Yusuf")
    page = client_as("gita").get(_url("application", application)).content.decode()
    assert f'<option value="{yusuf.pk}">Yusuf</option>' in page
    client_as("gita").post(_url("take_over", application), {"operator": yusuf.pk, "note": "Budi cuti"})
    application.refresh_from_db()
    assert application.claimed_by == yusuf
    assert application.status == Status.IN_PROCESS


def test_an_operator_cannot_take_over(client_as, make_application, office):
    application = make_application(Status.IN_PROCESS)
    yusuf = user_create(username="yusuf", office=office, roles=[Role.OPERATOR])
    client_as("budi").post(_url("take_over", application), {"operator": yusuf.pk})
    application.refresh_from_db()
    assert application.claimed_by.username == "budi"


def test_the_holder_records_the_siak_result_and_it_goes_to_verification(client_as, make_application):
    application = make_application(Status.IN_PROCESS)
    client = client_as("budi")
    response = client.post(_url("siak", application), {"siak_reference": "", "note": ""}, follow=True)
    assert "wajib diisi" in response.content.decode()
    client.post(_url("siak", application), {"siak_reference": "AL.7307.0012345", "note": "Sudah dicetak"})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_VERIFICATION
    assert application.siak_reference == "AL.7307.0012345"
    assert application.siak_note == "Sudah dicetak"


def test_the_verifier_sends_back_with_a_reason_then_approves(client_as, make_application):
    application = make_application(Status.AWAITING_VERIFICATION)
    client = client_as("citra")
    client.post(_url("verify", application), {"decision": "send_back", "reason": ""})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_VERIFICATION
    client.post(_url("verify", application), {"decision": "send_back", "reason": "Nama ibu salah ketik"})
    application.refresh_from_db()
    assert application.status == Status.IN_PROCESS
    assert application.events.filter(kind="send_back", note="Nama ibu salah ketik").exists()
    client_as("budi").post(_url("siak", application), {"siak_reference": "AL.7307.0012346"})
    client.post(_url("verify", application), {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_the_signer_signs_several_at_once(client_as, make_application, office, andi):
    office.is_demo = True
    office.save()
    first = make_application(Status.AWAITING_SIGNATURE)
    second = make_application(Status.AWAITING_SIGNATURE, nik="7307070101900009")
    untouched = make_application(Status.AWAITING_SIGNATURE, nik="7307070101900010")
    # Each document exists before the signature (here the demo office's specimen).
    for application in (first, second, untouched):
        delivery_services.output_specimen_create(application=application, actor=andi)
    client = client_as("dewi")
    page = client.get(reverse("console:sign_list")).content.decode()
    for application in (first, second, untouched):
        assert f'name="application" value="{application.pk}"' in page
    # Ticking and pressing the button only shows what is about to be signed.
    confirm = client.post(reverse("console:sign_list"), {"application": [first.pk, second.pk]}).content.decode()
    assert "Anda akan menandatangani 2 permohonan" in confirm
    assert first.tracking_code in confirm and second.tracking_code in confirm and untouched.tracking_code not in confirm
    first.refresh_from_db()
    assert first.status == Status.AWAITING_SIGNATURE
    response = client.post(
        reverse("console:sign_list"), {"application": [first.pk, second.pk], "passphrase": PASSWORD}, follow=True
    )
    assert "2 permohonan ditandatangani." in response.content.decode()
    statuses = {a.pk: a.status for a in (first, second, untouched) if not a.refresh_from_db()}
    assert statuses == {first.pk: Status.READY, second.pk: Status.READY, untouched.pk: Status.AWAITING_SIGNATURE}


def test_bulk_signing_ignores_another_offices_ids(client_as, make_application, other_office_application):
    client_as("dewi").post(
        reverse("console:sign_list"), {"application": [other_office_application.pk], "passphrase": PASSWORD}
    )
    other_office_application.refresh_from_db()
    assert other_office_application.status == Status.SUBMITTED


def test_an_unsigned_output_is_shown_as_such_and_needs_an_override_to_send(
    client_as, make_application, django_capture_on_commit_callbacks
):
    application = make_application(Status.READY, email="siti@example.org")
    application.delivery_preference = DeliveryPreference.EMAIL
    application.save()
    client = client_as("andi")
    client.post(_url("output_upload", application), {"file": SimpleUploadedFile("akta.pdf", PDF_BYTES)})
    output = application.outputs.get()
    assert output.signature_status == "unsigned"
    page = client.get(_url("application", application)).content.decode()
    assert 'data-signature="unsigned"' in page
    assert 'name="override_reason"' in page
    response = client.post(_url("deliver", application), {"override_reason": ""}, follow=True)
    assert "belum sah" in response.content.decode()
    assert application.deliveries.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("deliver", application), {"override_reason": "Pemohon butuh segera; TTE menyusul"})
    assert application.deliveries.count() == 1
    assert len(mail.outbox) == 1


def test_the_demo_office_makes_a_valid_specimen_and_delivers_it_by_email(
    client_as, make_application, office, django_capture_on_commit_callbacks
):
    office.is_demo = True
    office.save()
    application = make_application(Status.READY, email="siti@example.org")
    application.delivery_preference = DeliveryPreference.EMAIL
    application.save()
    client = client_as("andi")
    client.post(_url("output_specimen", application))
    output = application.outputs.get()
    assert output.signature_status == "valid" and output.is_specimen
    page = client.get(_url("application", application)).content.decode()
    assert 'data-signature="valid"' in page
    assert 'name="override_reason"' not in page
    pdf = client.get(_url("output_file", application, output.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("deliver", application))
    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert mail.outbox[0].to == ["siti@example.org"]
    page = client.get(_url("application", application)).content.decode()
    assert "siti@example.org" in page


def test_a_specimen_is_refused_outside_a_demo_office(client_as, make_application):
    application = make_application(Status.READY)
    assert client_as("andi").post(_url("output_specimen", application)).status_code == 403
    assert application.outputs.count() == 0


def test_pickup_by_a_representative_records_who_collected_and_the_originals_seen(
    client_as, make_application, attach, akta_kelahiran
):
    application = make_application(Status.READY)
    for code in ("surat-kelahiran", "buku-nikah", "kk"):
        attach(application, requirement=akta_kelahiran.requirements.get(code=code))
    client = client_as("andi")
    page = client.get(_url("application", application)).content.decode()
    # The originals to check are those the application was made with: the SPTJMs the letter and the marriage
    # book replaced are not asked for, nor the optional police report; the form F-2.01 (required) is.
    for code in ("surat-kelahiran", "buku-nikah", "kk", "formulir"):
        assert f'value="{code}"' in page
    for code in ("sptjm-kelahiran", "sptjm-suami-istri", "laporan-polisi"):
        assert f'value="{code}"' not in page
    response = client.post(
        _url("pick_up", application), {"collector": "representative", "representative_name": ""}, follow=True
    )
    text = response.content.decode()
    assert "Isi nama orang yang mewakili pemohon." in text
    assert "Isi NIK orang yang mewakili" in text
    # Someone outside the family KK without a surat kuasa may not collect.
    client.post(
        _url("pick_up", application),
        {
            "collector": "representative",
            "representative_name": "Ahmad",
            "representative_id_number": "7307071203800003",
            "relationship": "kuasa",
        },
    )
    application.refresh_from_db()
    assert application.status == Status.READY
    client.post(
        _url("pick_up", application),
        {
            "collector": "representative",
            "representative_name": "Ahmad",
            "representative_id_number": "7307 0712 0380 0003",
            "relationship": "keluarga_kk",
            "relationship_detail": "suami",
            "originals_seen": ["kk", "buku-nikah"],
        },
    )
    application.refresh_from_db()
    assert application.status == Status.PICKED_UP
    event = application.events.get(kind="pick_up")
    assert event.data == {
        "collected_by": "Ahmad",
        "is_representative": True,
        "originals_seen": ["kk", "buku-nikah"],
        "collector": {
            "id_number": "7307071203800003",
            "relationship": "keluarga_kk",
            "relationship_detail": "suami",
            "power_of_attorney": "tidak",
        },
    }


def test_pickup_by_the_applicant_uses_their_name(client_as, make_application):
    application = make_application(Status.READY)
    client_as("andi").post(_url("pick_up", application), {"collector": "applicant"})
    assert application.events.get(kind="pick_up").data["collected_by"] == "Siti Aminah"


def test_the_receipt_is_a_pdf_with_a_link_on_the_application_page(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client = client_as("andi")
    assert _url("receipt", application) in client.get(_url("application", application)).content.decode()
    response = client.get(_url("receipt", application))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_wrongly_attached_output_is_taken_back_from_the_console(client_as, make_application):
    application = make_application(Status.READY)
    client_as("budi").post(_url("output_upload", application), {"file": SimpleUploadedFile("salah.pdf", PDF_BYTES)})
    output = application.outputs.get()
    page = client_as("andi").get(_url("application", application)).content.decode()
    assert _url("output_remove", application, output.pk) in page

    assert client_as("citra").post(_url("output_remove", application, output.pk)).status_code == 403
    assert application.outputs.count() == 1
    client_as("andi").post(_url("output_remove", application, output.pk))

    assert application.outputs.count() == 0
    assert application.events.last().kind == "output_removed"


def test_the_signer_attaches_no_output(client_as, make_application):
    application = make_application(Status.READY)
    page = client_as("dewi").get(_url("application", application)).content.decode()
    assert _url("output_upload", application) not in page
    upload = {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    response = client_as("dewi").post(_url("output_upload", application), upload)
    assert response.status_code == 403
    assert application.outputs.count() == 0


def test_the_desk_cancels_an_application_the_citizen_withdrew_with_the_reason(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    assert _url("cancel", application) in client_as("andi").get(_url("application", application)).content.decode()

    refused = client_as("andi").post(_url("cancel", application), {"reason": ""}, follow=True)
    assert "Alasan pembatalan wajib diisi." in refused.content.decode()
    client_as("andi").post(_url("cancel", application), {"reason": "Pemohon pindah ke Makassar"})

    application.refresh_from_db()
    assert (application.status, application.close_reason) == (Status.CANCELLED, "Pemohon pindah ke Makassar")


def test_an_operator_cannot_cancel(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    assert _url("cancel", application) not in client_as("budi").get(_url("application", application)).content.decode()
    client_as("budi").post(_url("cancel", application), {"reason": "Iseng"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_an_operator_who_does_not_hold_an_application_is_offered_neither_release_nor_siak(
    client_as, make_application, office
):
    yanti = Client()
    yanti.force_login(user_create(username="yanti", office=office, roles=[Role.OPERATOR]))
    application = make_application(Status.IN_PROCESS)  # held by budi
    page = yanti.get(_url("application", application)).content.decode()
    assert _url("release", application) not in page
    assert _url("siak", application) not in page
    assert _url("release", application) in client_as("budi").get(_url("application", application)).content.decode()
