"""What the citizen is told when officers move an application (pencet.bot.notifications).

The notification is an Event subscriber that runs after the transition commits; `committed()` stands for that
commit here (pytest-django's `db` never commits).
"""

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.models import DeliveryPreference
from pencet.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(office) -> Contact:
    return Contact.objects.create(office=office, phone="6281234567890", profile_name="Sari")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def application(office, contact, akta_kelahiran, bonto_katute, committed):
    with committed():
        application = cases.application_create(
            office=office, service=akta_kelahiran, contact=contact, applicant_name="Sari", village=bonto_katute
        )
        cases.application_submit(application=application, actor=None)
    return application


def bodies(contact: Contact) -> list[str]:
    """The texts the contact was sent (a receipt document has none)."""
    sent = OutboundMessage.objects.filter(contact=contact).exclude(kind="document")
    return [m.payload.get("body", "") for m in sent]


def test_submission_tells_the_tracking_code_and_the_expected_completion(application, contact):
    message = OutboundMessage.objects.get(contact=contact)
    assert application.tracking_code in message.payload["body"]
    assert "WITA" in message.payload["body"]
    assert message.template_event == "status_update"
    assert message.template_params[1] == application.tracking_code


def test_a_rejection_gives_the_reason(application, contact, andi, committed):
    with committed():
        cases.application_reject(application=application, actor=andi, reason="Bukan warga Kabupaten Sinjai")
    assert "Alasan: Bukan warga Kabupaten Sinjai" in bodies(contact)[-1]


def test_internal_steps_stay_quiet_except_the_first_pickup_by_an_operator(
    application, contact, andi, budi, citra, committed
):
    with committed():
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_release(application=application, actor=budi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.1")
        cases.application_approve(application=application, actor=citra)
    texts = bodies(contact)
    assert len(texts) == 3  # submitted, accepted, in SIAK
    assert "diinput ke SIAK" in texts[-1]


def test_a_document_for_e_mail_delivery_is_announced_as_sent_not_as_pickup(
    application, contact, andi, budi, citra, dewi, committed
):
    application.delivery_preference = DeliveryPreference.EMAIL
    application.save()
    with committed():
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.1")
        cases.application_approve(application=application, actor=citra)
        cases.application_sign(application=application, actor=dewi)
    last = OutboundMessage.objects.filter(contact=contact).last()
    assert "dikirim lewat E-mail" in last.payload["body"]
    assert last.template_event == "document_ready"


def test_a_village_staff_application_is_reported_to_the_staff_members_whatsapp(
    office, fajar, bonto_katute, andi, committed
):
    from pencet.catalog.models import Requirement, Service

    staff_contact = Contact.objects.create(
        office=office, phone="6281355500007", staff_user=fajar, last_inbound_at=timezone.now()
    )
    service = Service.objects.get(code="ktp-hilang-rusak")
    with committed():
        application = cases.application_create(office=office, service=service, actor=fajar, village=bonto_katute)
        cases.application_submit(application=application, actor=fajar)
    assert application.tracking_code in bodies(staff_contact)[-1]
    kk = Requirement.objects.get(service=service, code="kk")
    with committed():
        cases.application_return(
            application=application, actor=andi, items=[cases.ReviewVerdict(requirement=kk, verdict="missing")]
        )
    texts = bodies(staff_contact)
    assert "Kartu Keluarga: Belum ada" in texts[-2]
    assert "Kirim foto Kartu Keluarga" in texts[-1]


def test_outside_the_24_hour_window_a_return_sends_only_the_template_backed_message(
    application, contact, andi, committed
):
    from pencet.bot.models import Conversation
    from pencet.catalog.models import Requirement

    kk = Requirement.objects.get(service=application.service, code="kk")
    with committed():
        cases.application_return(
            application=application, actor=andi, items=[cases.ReviewVerdict(requirement=kk, verdict="missing")]
        )
    last = OutboundMessage.objects.filter(contact=contact).last()
    assert last.template_event == "missing_items"
    assert "Kartu Keluarga: Belum ada" in last.payload["body"]
    # The bot is nevertheless waiting for exactly that file when the citizen answers.
    conversation = Conversation.objects.get(contact=contact)
    assert (conversation.state, conversation.application) == ("collect", application)


def test_a_late_notification_words_the_signature_as_it_stood_when_it_was_signed(
    application, contact, andi, budi, citra, dewi, committed, django_capture_on_commit_callbacks
):
    application.delivery_preference = DeliveryPreference.EMAIL
    application.save()
    with committed():
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.1")
        cases.application_approve(application=application, actor=citra)
    with django_capture_on_commit_callbacks() as after_commit:
        cases.application_sign(application=application, actor=dewi)
    # Before the notification's task runs, an officer changes how the citizen will get the document.
    application.delivery_preference = DeliveryPreference.PICKUP
    application.save()
    for callback in after_commit:
        callback()
    last = OutboundMessage.objects.filter(contact=contact).last()
    assert "dikirim lewat E-mail" in last.payload["body"]


def test_a_citizen_in_the_24_hour_window_gets_the_receipt_pdf_at_submission(
    office, contact, akta_kelahiran, bonto_katute, committed
):
    contact.last_inbound_at = timezone.now()
    contact.save()
    with committed():
        application = cases.application_create(
            office=office, service=akta_kelahiran, contact=contact, applicant_name="Sari", village=bonto_katute
        )
        cases.application_submit(application=application, actor=None)
    status, receipt = OutboundMessage.objects.filter(contact=contact).order_by("pk")
    assert application.tracking_code in status.payload["body"]
    assert receipt.kind == "document"
    assert receipt.payload["filename"] == f"tanda-terima-{application.tracking_code}.pdf"
    assert application.tracking_code in receipt.payload["caption"]
    from django.core.files.storage import default_storage

    with default_storage.open(receipt.payload["storage_name"], "rb") as handle:
        assert handle.read().startswith(b"%PDF-")


def test_an_application_registered_at_the_counter_with_a_phone_gets_the_status_messages(
    office, akta_kelahiran, bonto_katute, andi, committed
):
    with committed():
        application = cases.application_create(
            office=office,
            service=akta_kelahiran,
            channel="counter",
            actor=andi,
            applicant_name="La Baco",
            phone="0812-3333-4444",
            village=bonto_katute,
        )
        cases.application_submit(application=application, actor=andi)
    contact = Contact.objects.get(phone="6281233334444")
    [message] = OutboundMessage.objects.filter(contact=contact)
    assert application.tracking_code in message.payload["body"]
    # Never written to before: the outbox falls back to the approved status template.
    assert message.template_event == "status_update"
    with committed():
        cases.application_accept(application=application, actor=andi)
    assert "lengkap" in bodies(contact)[-1]
