"""Working through the API: a whole path, reading one application, and filtering the list."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from pencet.cases.models import Application, Attachment, Channel, Status
from pencet.regions.models import Region
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_an_application_walks_from_registration_to_signed_through_the_api(api_as, people, siak_output):
    andi, budi, citra, dewi = (api_as(name) for name in ("andi", "budi", "citra", "dewi"))

    status, created = andi.post(
        "/applications",
        {
            "service": "akta-kelahiran",
            "channel": "staff_intake",
            "applicant_name": "Nur Aisyah",
            "nik": "7307 0741 0520 0001",
            "phone": "0812-3456-7890",
            "email": "nur@example.id",
            "village": "73.07.07.2007",
            "priority_elderly": True,
            "delivery_preference": "email",
            "event_date": "2026-11-01",
        },
    )
    assert status == 201, created
    code = created["tracking_code"]
    assert (created["status"], created["channel"], created["nik"]) == ("submitted", "staff_intake", "7307074105200001")
    assert created["phone"] == "6281234567890"
    assert "accept" in created["actions"]

    assert andi.post(f"/applications/{code}/accept", {"note": "Lengkap"})[1]["status"] == "accepted"
    claimed = budi.post(f"/applications/{code}/claim")[1]
    assert (claimed["status"], claimed["claimed_by"]) == ("in_process", "budi")
    done = budi.post(f"/applications/{code}/complete-siak", {"siak_reference": "AL.7307.0012345", "note": "OK"})[1]
    assert (done["status"], done["siak_reference"]) == ("awaiting_verification", "AL.7307.0012345")
    approved = citra.post(f"/applications/{code}/approve")[1]
    assert approved["status"] == "awaiting_signature"
    # Nothing to sign before the document exists; the operator attaches the PDF SIAK printed.
    assert "sign" not in dewi.get(f"/applications/{code}")[1]["actions"]
    assert dewi.post(f"/applications/{code}/sign", {"passphrase": PASSWORD})[1]["error"] == "no_output"
    siak_output(Application.objects.get(tracking_code=code))
    detail = dewi.get(f"/applications/{code}")[1]
    assert "sign" in detail["actions"]
    # Like a real TTE the signature needs the signer's passphrase.
    status, refused = dewi.post(f"/applications/{code}/sign")
    assert (status, refused["error"]) == (422, "passphrase_required")
    assert "passphrase" in refused["message"]
    status, refused = dewi.post(f"/applications/{code}/sign", {"passphrase": "tebakan"})
    assert (status, refused["error"]) == (403, "passphrase_wrong")
    seen = [o["sha256"] for o in detail["outputs"]]
    status, signed = dewi.post(f"/applications/{code}/sign", {"passphrase": PASSWORD, "documents": seen})
    assert (status, signed["status"]) == (200, "ready")

    timeline = andi.get(f"/applications/{code}")[1]["events"]
    assert [(e["kind"], e["actor"]) for e in timeline] == [
        ("created", "andi"),
        ("submit", "andi"),
        ("accept", "andi"),
        ("claim", "budi"),
        ("complete_siak", "budi"),
        ("approve", "citra"),
        ("sign", "dewi"),
    ]
    assert Application.objects.get(tracking_code=code).events.get(kind="sign").data["documents"] == [
        {"filename": "akta.pdf", "sha256": "5" * 64, "signature": "already_valid"}
    ]
    assert Application.objects.get(tracking_code=code).status == Status.READY


@pytest.mark.django_db
def test_a_verifier_sends_an_application_back_and_the_operator_records_it_again(api_as, application_at):
    application = application_at(Status.AWAITING_VERIFICATION)
    code = application.tracking_code

    back = api_as("citra").post(f"/applications/{code}/send-back", {"reason": "Nama ayah salah ketik"})[1]
    again = api_as("budi").post(f"/applications/{code}/complete-siak", {"siak_reference": "AL.7307.0012346"})[1]

    assert back["status"] == "in_process"
    assert back["events"][-1]["note"] == "Nama ayah salah ketik"
    assert again["status"] == "awaiting_verification"


@pytest.mark.django_db
def test_a_returned_application_shows_what_the_citizen_must_fix(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("andi").post(
        f"/applications/{application.tracking_code}/return",
        {
            "items": [
                {"requirement": "kk", "verdict": "unreadable", "reason": "Foto buram"},
                {"requirement": "buku-nikah", "verdict": "ok"},
            ]
        },
    )

    assert status == 200
    assert body["status"] == "returned"
    items = {i["requirement"]: i for i in body["review_items"]}
    assert (items["kk"]["verdict"], items["kk"]["reason"], items["kk"]["resolved"]) == (
        "unreadable",
        "Foto buram",
        False,
    )
    assert items["buku-nikah"]["resolved"] is True
    assert body["events"][-1]["data"]["items"][0]["requirement"] == "kk"


@pytest.mark.django_db
def test_the_admin_hands_a_claimed_application_to_another_operator(api_as, application_at, office, people):
    from pencet.accounts.services import user_create

    user_create(username="bayu", office=office, roles=["operator_siak"])
    application = application_at(Status.IN_PROCESS)

    status, body = api_as("gita").post(f"/applications/{application.tracking_code}/take-over", {"operator": "bayu"})

    assert (status, body["claimed_by"]) == (200, "bayu")


@pytest.mark.django_db
def test_an_officer_records_a_pickup_by_a_representative(api_as, application_at):
    application = application_at(Status.READY)

    status, body = api_as("andi").post(
        f"/applications/{application.tracking_code}/pick-up",
        {"collected_by": "Ahmad (suami)", "is_representative": True, "originals_seen": ["kk", "buku-nikah"]},
    )

    assert (status, body["status"]) == (200, "picked_up")
    assert body["events"][-1]["data"] == {
        "collected_by": "Ahmad (suami)",
        "is_representative": True,
        "originals_seen": ["kk", "buku-nikah"],
    }
    assert body["closed_at"] is not None


@pytest.mark.django_db
def test_the_detail_lists_attachments_as_metadata_without_the_file(api_as, application_at, akta_kelahiran):
    application = application_at(Status.SUBMITTED)
    Attachment.objects.create(
        application=application,
        requirement=akta_kelahiran.requirements.get(code="kk"),
        file=ContentFile(b"%PDF-1.4 rahasia", name="kk.pdf"),
        content_type="application/pdf",
        size=16,
        sha256="a" * 64,
        original_name="kk.pdf",
    )

    body = api_as("andi").get(f"/applications/{application.tracking_code}")[1]

    assert body["attachments"] == [
        {
            "id": body["attachments"][0]["id"],
            "requirement": "kk",
            "content_type": "application/pdf",
            "size": 16,
            "sha256": "a" * 64,
            "original_name": "kk.pdf",
            "quality": {},
            "is_current": True,
            "created_at": body["attachments"][0]["created_at"],
        }
    ]
    assert "rahasia" not in str(body)


@pytest.mark.django_db
def test_tracking_codes_are_found_whatever_their_case(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    assert api_as("andi").get(f"/applications/{application.tracking_code.lower()}")[0] == 200


@pytest.mark.django_db
def test_the_list_filters_by_status_service_channel_village_and_search(api_as, application_at, catalog):
    first = application_at(Status.SUBMITTED, applicant_name="Siti Aminah", phone="6281111111111")
    second = application_at(Status.ACCEPTED, applicant_name="Baso Daeng", nik="7307070101900003", phone="6282222222222")
    other_village = Region.objects.filter(parent_id="73.07.01", level=4).first()
    third = application_at(Status.SUBMITTED, applicant_name="Rina", village=other_village, phone="6283333333333")
    Application.objects.filter(pk=third.pk).update(channel=Channel.WALK_IN)
    andi = api_as("andi")

    def codes(**params: object) -> set[str]:
        status, body = andi.get("/applications", **params)
        assert status == 200, body
        return {item["tracking_code"] for item in body["items"]}

    assert codes() == {first.tracking_code, second.tracking_code, third.tracking_code}
    assert codes(status="accepted") == {second.tracking_code}
    assert codes(status=["accepted", "submitted"]) == codes()
    assert codes(service="akta-kelahiran") == codes()
    assert codes(service="kk-baru") == set()
    assert codes(channel="walk_in") == {third.tracking_code}
    assert codes(village="73.07.07.2007") == {first.tracking_code, second.tracking_code}
    assert codes(q=second.tracking_code.lower()) == {second.tracking_code}
    assert codes(q="7307070101900003") == {second.tracking_code}
    assert codes(q="aminah") == {first.tracking_code}
    assert codes(q="0811-1111-1111") == {first.tracking_code}


@pytest.mark.django_db
def test_the_list_filters_by_submission_date_and_pages(api_as, application_at):
    old = application_at(Status.SUBMITTED)
    new = application_at(Status.SUBMITTED)
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    andi = api_as("andi")

    recent = andi.get("/applications", submitted_from=str(today))[1]
    earlier = andi.get("/applications", submitted_to=str(today - timedelta(days=5)))[1]
    page = andi.get("/applications", limit=1, offset=1)[1]

    assert [i["tracking_code"] for i in recent["items"]] == [new.tracking_code]
    assert [i["tracking_code"] for i in earlier["items"]] == [old.tracking_code]
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)
    assert page["items"][0]["tracking_code"] == old.tracking_code  # newest first


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.mark.django_db
def test_an_officer_delivers_the_signed_output_by_email_through_the_api(api_as, application_at, office, media_in_tmp):
    office.is_demo = True
    office.save()
    application = application_at(Status.READY, email="siti@example.test", delivery_preference="email")
    andi = api_as("andi")
    path = f"/applications/{application.tracking_code}/deliver"
    assert andi.post(path)[1]["error"] == "no_output"
    assert api_as("budi").post(f"/applications/{application.tracking_code}/outputs/specimen")[0] == 201

    status, body = andi.post(path, {})

    assert status == 200, body
    assert [(d["channel"], d["status"]) for d in body["deliveries"]] == [("email", "queued")]
    assert body["application"]["events"][-1]["kind"] == "delivery_queued"


@pytest.mark.django_db
def test_a_search_says_how_many_match_and_when_more_than_a_thousand_do_it_says_the_count_is_capped(
    api_as, application_at
):
    aminah = application_at(Status.SUBMITTED, applicant_name="Siti Aminah")
    copies = []
    for n in range(1001):  # a common name in a large office, bulk-written
        copy = Application.objects.get(pk=aminah.pk)
        copy.pk, copy.tracking_code, copy.status_token = None, f"SNJ-2612-{n:05d}", f"copy{n}"
        copy.applicant_name = "Sari Rahman"
        copies.append(copy)
    Application.objects.bulk_create(copies)
    andi = api_as("andi")
    status, few = andi.get("/applications", q="aminah")
    assert status == 200
    assert (few["count"], few["count_capped"]) == (1, False)
    status, many = andi.get("/applications", q="sari", limit=200, offset=900)
    assert status == 200
    assert (many["count"], many["count_capped"]) == (1000, True)
    assert len(many["items"]) == 101  # paging goes on past the bound: 1,001 match
    status, listed = andi.get("/applications")
    assert (listed["count"], listed["count_capped"]) == (1002, False)  # a list without a search counts them all
