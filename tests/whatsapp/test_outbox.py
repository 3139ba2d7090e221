"""The outbox: Cloud API bodies, limits, retries, permanent failures, the window, token expiry, no double send."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from pencet.catalog.models import MessageTemplate
from pencet.whatsapp import services
from pencet.whatsapp.client import MessageLimitError, message_body, payload_check
from pencet.whatsapp.models import ChannelAlert, Contact, OutboundMessage
from tests.wa import PHONE, USER_ID, run_on_commit
from tests.whatsapp.openapi import assert_valid_message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PAYLOADS = {
    "text": {"body": "Permohonan Anda sudah kami terima."},
    "buttons": {
        "body": "Apakah data sudah benar?",
        "header": "Konfirmasi",
        "footer": "Pencet",
        "buttons": [{"id": "ya", "title": "Ya, benar"}, {"id": "tidak", "title": "Perbaiki"}],
    },
    "list": {
        "body": "Pilih layanan",
        "button": "Lihat layanan",
        "footer": "Disdukcapil Sinjai",
        "sections": [
            {
                "title": "Akta",
                "rows": [{"id": "akta-lahir", "title": "Akta kelahiran", "description": "Untuk bayi baru"}],
            },
            {"title": "KTP-el", "rows": [{"id": "ktp-hilang", "title": "KTP-el hilang"}]},
        ],
    },
    "template": {"name": "status_permohonan", "language": "id", "params": ["Sari", "SNJ-2611-0042"]},
}


@pytest.fixture
def contact(office) -> Contact:
    return Contact.objects.create(office=office, phone=PHONE, wa_user_id=USER_ID, last_inbound_at=timezone.now())


def enqueue(contact, kind="text", payload=None, **extra) -> OutboundMessage:
    with run_on_commit():
        message = services.outbox_enqueue(contact=contact, kind=kind, payload=payload or PAYLOADS[kind], **extra)
    message.refresh_from_db()
    return message


@pytest.mark.parametrize("kind", ["text", "buttons", "list", "template"])
def test_every_body_the_client_builds_is_valid_for_metas_schema(kind):
    assert_valid_message(message_body(kind=kind, payload=PAYLOADS[kind], phone=PHONE, callback_data="17"))
    assert_valid_message(message_body(kind=kind, payload=PAYLOADS[kind], user_id=USER_ID))


def test_a_document_body_is_valid_for_metas_schema():
    payload = {"storage_name": "x.pdf", "filename": "akta.pdf", "caption": "Akta kelahiran"}
    assert_valid_message(message_body(kind="document", payload=payload, phone=PHONE, media_id="123", callback_data="1"))


def test_the_schema_check_is_not_a_rubber_stamp():
    body = message_body(kind="buttons", payload=PAYLOADS["buttons"], phone=PHONE)
    body["interactive"]["action"]["buttons"] *= 2
    with pytest.raises(AssertionError):
        assert_valid_message(body)


@pytest.mark.parametrize(
    "kind, payload",
    [
        ("buttons", {"body": "x", "buttons": [{"id": str(i), "title": f"B{i}"} for i in range(4)]}),
        ("buttons", {"body": "x", "buttons": [{"id": "a", "title": "Judul tombol yang terlalu panjang"}]}),
        (
            "list",
            {
                "body": "x",
                "button": "Pilih",
                "sections": [{"rows": [{"id": str(i), "title": f"R{i}"} for i in range(11)]}],
            },
        ),
        (
            "list",
            {
                "body": "x",
                "button": "Pilih",
                "sections": [{"rows": [{"id": "a", "title": "Judul baris lebih dari 24 huruf"}]}],
            },
        ),
        (
            "list",
            {
                "body": "x",
                "button": "Pilih",
                "sections": [{"rows": [{"id": "a", "title": "A", "description": "d" * 73}]}],
            },
        ),
        (
            "list",
            {
                "body": "x",
                "button": "Pilih",
                "sections": [
                    {"title": "A", "rows": [{"id": str(i), "title": "r"} for i in range(6)]},
                    {"title": "B", "rows": [{"id": f"b{i}", "title": "r"} for i in range(5)]},
                ],
            },
        ),
        ("text", {"body": "x" * 4097}),
        ("buttons", {"body": "x" * 1025, "buttons": [{"id": "a", "title": "Ya"}]}),
    ],
)
def test_limits_are_refused_when_the_message_is_enqueued(contact, kind, payload):
    with pytest.raises(MessageLimitError):
        services.outbox_enqueue(contact=contact, kind=kind, payload=payload)
    assert not OutboundMessage.objects.exists()


def test_limits_at_the_edge_are_accepted():
    payload_check(
        kind="buttons",
        payload={"body": "x" * 1024, "buttons": [{"id": str(i), "title": str(i) + "t" * 19} for i in range(3)]},
    )
    payload_check(
        kind="list",
        payload={
            "body": "x",
            "button": "Pilih",
            "sections": [{"rows": [{"id": str(i), "title": "t" * 24, "description": "d" * 72} for i in range(10)]}],
        },
    )
    payload_check(kind="text", payload={"body": "x" * 4096})


def test_a_text_is_sent_once_and_marked_sent_with_its_wamid(contact, fake_graph):
    message = enqueue(contact)
    [body] = fake_graph.sent(PHONE)
    assert body["text"]["body"] == PAYLOADS["text"]["body"]
    assert body["biz_opaque_callback_data"] == str(message.pk)
    assert message.status == "sent" and message.wamid.startswith("wamid.") and message.attempts == 1
    assert_valid_message(body)


def test_a_contact_without_phone_is_reached_by_user_id(office, fake_graph):
    contact = Contact.objects.create(office=office, wa_user_id=USER_ID, last_inbound_at=timezone.now())
    enqueue(contact)
    assert fake_graph.last(USER_ID)["recipient"] == USER_ID
    assert "to" not in fake_graph.last(USER_ID)


def test_list_and_buttons_arrive_as_interactive_messages(contact, fake_graph):
    enqueue(contact, "list")
    enqueue(contact, "buttons")
    assert [r["id"] for r in fake_graph.rows(PHONE)] == ["akta-lahir", "ktp-hilang"]
    assert [b["title"] for b in fake_graph.buttons(PHONE)] == ["Ya, benar", "Perbaiki"]


def test_a_document_is_uploaded_then_sent_by_media_id(contact, fake_graph):
    name = default_storage.save("keluaran/akta.pdf", ContentFile(PDF))
    enqueue(contact, "document", {"storage_name": name, "filename": "akta.pdf", "caption": "Akta Anda"})
    [document] = fake_graph.documents(PHONE)
    assert document.data == PDF and document.mime_type == "application/pdf"
    body = fake_graph.last(PHONE)
    assert body["document"]["filename"] == "akta.pdf"
    assert_valid_message(body)


# 131056 (the pair rate limit) also empties the person's bucket: test_pacing.py.
@pytest.mark.parametrize("code", [130429, 4, 80007, 131000])
def test_rate_limits_and_temporary_errors_are_retried_with_backoff(contact, fake_graph, code):
    fake_graph.fail_next(code, times=2)
    message = enqueue(contact)
    assert message.status == "queued" and message.error_code == str(code)
    first_wait = message.next_attempt_at - timezone.now()
    services.outbox_send(message_id=message.pk)  # not due yet: nothing happens
    assert fake_graph.sent() == []
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 2
    assert message.next_attempt_at - timezone.now() > first_wait  # backoff grows
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sent" and len(fake_graph.sent(PHONE)) == 1


def test_a_bare_server_error_and_a_network_error_are_retried(contact, fake_graph, settings):
    fake_graph.fail_next(0, status=503)
    message = enqueue(contact)
    assert message.status == "queued" and message.error_code == "503"
    settings.WHATSAPP_API_URL = "http://127.0.0.1:9"
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "queued" and message.error_code == "network"


def test_a_message_that_keeps_failing_gives_up_after_the_last_attempt(contact, fake_graph, settings):
    settings.WHATSAPP_MAX_ATTEMPTS = 2
    fake_graph.fail_next(130429, times=5)
    message = enqueue(contact)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed" and message.error_code == "130429"


def test_a_permanent_failure_is_recorded_with_metas_code_and_message(contact, fake_graph):
    fake_graph.fail_next(131026)
    message = enqueue(contact)
    assert message.status == "failed" and message.error_code == "131026"
    assert "undeliverable" in message.error_message
    services.outbox_send(message_id=message.pk)
    assert fake_graph.sent() == []


def test_window_closed_at_meta_falls_back_to_the_office_template(contact, office, fake_graph):
    MessageTemplate.objects.create(name="umum_status", event="status_update", body_parameters=["a", "b"])
    MessageTemplate.objects.create(
        office=office, name="sinjai_status", event="status_update", body_parameters=["a", "b"]
    )
    fake_graph.fail_next(131047)
    message = enqueue(contact, template_event="status_update", template_params=["Sari", "SNJ-1\nbaris"])
    body = fake_graph.last(PHONE)
    assert body["type"] == "template" and body["template"]["name"] == "sinjai_status"
    assert [p["text"] for p in body["template"]["components"][0]["parameters"]] == ["Sari", "SNJ-1 baris"]
    assert message.status == "sent"
    assert_valid_message(body)


def test_outside_the_window_a_free_form_message_goes_out_as_the_global_template(contact, fake_graph):
    MessageTemplate.objects.create(name="dokumen_siap", event="document_ready", body_parameters=["nama"])
    Contact.objects.filter(pk=contact.pk).update(last_inbound_at=timezone.now() - timedelta(hours=25))
    contact.refresh_from_db()
    enqueue(contact, template_event="document_ready", template_params=["Sari"])
    assert fake_graph.last(PHONE)["template"]["name"] == "dokumen_siap"
    assert all(b["type"] == "template" for b in fake_graph.sent())


def test_outside_the_window_without_a_template_the_row_fails_with_a_clear_reason(contact, fake_graph):
    Contact.objects.filter(pk=contact.pk).update(last_inbound_at=None)
    contact.refresh_from_db()
    message = enqueue(contact, template_event="missing_items")
    assert message.status == "failed" and message.error_code == "window_closed"
    assert "24 jam" in message.error_message and fake_graph.sent() == []


def test_an_expired_token_stops_all_sending_until_an_admin_clears_the_alert(contact, office, fake_graph, gita):
    fake_graph.fail_next(190, path="")
    first = enqueue(contact)
    second = enqueue(contact, "buttons")
    alert = ChannelAlert.objects.get(cleared_at__isnull=True)
    assert alert.stops_sending and alert.code == "190"
    assert {first.status, OutboundMessage.objects.get(pk=second.pk).status} == {"queued"}
    assert fake_graph.sent() == []
    with run_on_commit():
        services.channel_alert_clear(alert=alert, user=gita)
    assert [b["type"] for b in fake_graph.sent(PHONE)] == ["text", "interactive"]


def test_messages_to_one_contact_go_out_in_order(contact, fake_graph):
    with run_on_commit():
        for i in range(5):
            services.outbox_enqueue(contact=contact, kind="text", payload={"body": f"pesan {i}"})
    assert fake_graph.texts(PHONE) == [f"pesan {i}" for i in range(5)]


def test_a_later_message_waits_while_an_earlier_one_waits_for_its_retry(contact, fake_graph):
    fake_graph.fail_next(130429)
    first = enqueue(contact, payload={"body": "pertama"})
    enqueue(contact, payload={"body": "kedua"})
    assert fake_graph.sent() == []
    OutboundMessage.objects.filter(pk=first.pk).update(next_attempt_at=None)
    services.outbox_send(message_id=first.pk)
    assert fake_graph.texts(PHONE) == ["pertama", "kedua"]


def test_a_window_closed_failure_reported_later_by_status_goes_out_as_the_template(client, contact, fake_graph):
    from tests.wa import signed_post, wa_status

    MessageTemplate.objects.create(name="status_umum", event="status_update", body_parameters=["nama"])
    message = enqueue(contact, template_event="status_update", template_params=["Sari"])
    first_wamid = message.wamid
    signed_post(client, wa_status(wamid=first_wamid, status="failed", error_code=131047, error_title="Re-engagement"))
    message.refresh_from_db()
    assert [b["type"] for b in fake_graph.sent(PHONE)] == ["text", "template"]
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(fake_graph.last(PHONE))
    # The same failure delivered again changes nothing.
    signed_post(client, wa_status(wamid=first_wamid, status="failed", error_code=131047))
    assert len(fake_graph.sent(PHONE)) == 2
    message.refresh_from_db()
    assert message.status == "sent"


def test_the_status_listeners_hear_of_a_send_a_failure_and_each_status_from_meta(
    client, contact, fake_graph, status_calls
):
    from tests.wa import signed_post, wa_status

    sent = enqueue(contact)
    fake_graph.fail_next(131026)
    failed = enqueue(contact)
    signed_post(client, wa_status(wamid=sent.wamid, status="delivered"))
    assert status_calls == [(sent.pk, "sent"), (failed.pk, "failed"), (sent.pk, "delivered")]


def test_a_failing_status_listener_never_undoes_the_outcome(contact, fake_graph, settings, status_calls):
    settings.WHATSAPP_STATUS_LISTENERS = [
        "tests.whatsapp.handlers.fail_inbound",
        "tests.whatsapp.handlers.record_status",
    ]
    message = enqueue(contact)
    assert message.status == "sent"
    assert status_calls == [(message.pk, "sent")]


# ----- A worker killed inside the Graph call (orphans.py), with the production defaults: the worker counts as gone
# after a minute in "sending", then Meta's status is awaited two more minutes before the message goes out again.

STALE_SECONDS = 60
GRACE_SECONDS = 120


class WorkerKilled(BaseException):
    """SIGKILL inside the Graph call: nothing after that line of the worker runs, no except clause sees it."""


@pytest.fixture
def killed_mid_call(contact, monkeypatch):
    """killed_mid_call(body, after_meta_accepted=…): a worker claims the message and dies in its Graph call, before
    the request left or right after Meta accepted it (then Meta has it, and the outbox never heard the answer)."""
    from pencet.whatsapp import client

    def kill(body: str, *, after_meta_accepted: bool) -> OutboundMessage:
        real = client.graph_send

        def dying_send(**kwargs):
            monkeypatch.setattr(client, "graph_send", real)  # the next worker is a healthy one
            if after_meta_accepted:
                real(**kwargs)
            raise WorkerKilled

        monkeypatch.setattr(client, "graph_send", dying_send)
        message = services.outbox_enqueue(contact=contact, kind="text", payload={"body": body})
        with pytest.raises(WorkerKilled):
            services.outbox_send(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == "sending" and message.wamid == ""
        return message

    return kill


def metas_status(client, fake_graph, message, status="sent", *, attempt=0):
    """Meta's status webhook for one accepted send of `message`, carrying its callback data as Meta echoes it."""
    from tests.wa import signed_post, wa_status

    sends = [m for m in fake_graph.messages if m["body"].get("biz_opaque_callback_data") == str(message.pk)]
    return signed_post(
        client, wa_status(wamid=sends[attempt]["wamid"], status=status, biz_opaque_callback_data=str(message.pk))
    )


def test_a_message_whose_worker_died_before_it_reached_meta_goes_out_once_after_the_grace_window(
    contact, fake_graph, killed_mid_call, later
):
    message = killed_mid_call("Selamat datang di Disdukcapil Sinjai", after_meta_accepted=False)
    later(STALE_SECONDS - 5)
    services.outbox_sweep()
    assert fake_graph.sent() == []
    later(10)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == "unknown" and message.get_status_display() == "Belum pasti"
    assert fake_graph.sent() == []
    later(GRACE_SECONDS - 10)
    services.outbox_sweep()
    assert fake_graph.sent() == []  # Meta's status could still come
    later(10)
    services.outbox_sweep()
    [again] = fake_graph.sent(PHONE)
    assert again["text"]["body"] == "Selamat datang di Disdukcapil Sinjai"
    assert again["biz_opaque_callback_data"] == str(message.pk)
    message.refresh_from_db()
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(again) and message.attempts == 2
    later(600)
    services.outbox_sweep()
    assert len(fake_graph.sent(PHONE)) == 1


@pytest.mark.parametrize("status_after_seconds", [2, STALE_SECONDS + 30], ids=["at once", "after the sweep noticed"])
def test_a_message_meta_accepted_before_its_worker_died_is_settled_by_metas_status_and_never_sent_again(
    client, contact, fake_graph, killed_mid_call, later, status_after_seconds
):
    message = killed_mid_call("Selamat datang", after_meta_accepted=True)
    later(status_after_seconds)
    services.outbox_sweep()
    metas_status(client, fake_graph, message, "sent")
    message.refresh_from_db()
    [accepted] = fake_graph.sent(PHONE)
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(accepted)
    assert message.error_message == ""
    metas_status(client, fake_graph, message, "delivered")
    later(STALE_SECONDS + GRACE_SECONDS + 600)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == "delivered" and len(fake_graph.sent(PHONE)) == 1


def test_a_status_of_the_first_attempt_arriving_after_the_resend_never_causes_a_third_send(
    client, contact, fake_graph, killed_mid_call, later
):
    message = killed_mid_call("Selamat datang", after_meta_accepted=True)
    later(STALE_SECONDS + GRACE_SECONDS + 5)
    services.outbox_sweep()  # Meta's status is late beyond the window: the documented duplicate
    first, second = fake_graph.sent(PHONE)
    message.refresh_from_db()
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(second)
    metas_status(client, fake_graph, message, "sent", attempt=0)
    metas_status(client, fake_graph, message, "delivered", attempt=0)
    later(600)
    services.outbox_sweep()
    message.refresh_from_db()
    assert len(fake_graph.sent(PHONE)) == 2
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(second)


def test_a_late_status_while_the_resend_waits_for_the_persons_pair_rate_token_settles_it_without_a_second_send(
    client, contact, fake_graph, killed_mid_call, later
):
    message = killed_mid_call("Selamat datang", after_meta_accepted=True)
    later(STALE_SECONDS + GRACE_SECONDS + 5)
    Contact.objects.filter(pk=contact.pk).update(pace_tokens=0.0, pace_counted_at=timezone.now())
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == "queued" and len(fake_graph.sent(PHONE)) == 1  # the bucket is empty: it waits
    metas_status(client, fake_graph, message, "sent", attempt=0)
    later(30)
    services.outbox_sweep()
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sent" and message.wamid == fake_graph.wamid_of(fake_graph.sent(PHONE)[0])
    assert len(fake_graph.sent(PHONE)) == 1


def test_a_persons_later_messages_wait_behind_the_one_a_dead_worker_left_and_follow_it_in_order(
    contact, fake_graph, killed_mid_call, later
):
    killed_mid_call("Selamat datang", after_meta_accepted=False)
    enqueue(contact, payload={"body": "Silakan pilih layanan"})
    enqueue(contact, payload={"body": "Ketik 'petugas' untuk bicara dengan petugas"})
    later(STALE_SECONDS + 30)
    services.outbox_sweep()
    assert fake_graph.sent() == []
    later(GRACE_SECONDS)
    services.outbox_sweep()
    assert fake_graph.texts(PHONE) == [
        "Selamat datang",
        "Silakan pilih layanan",
        "Ketik 'petugas' untuk bicara dengan petugas",
    ]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_the_persons_later_messages_go_as_soon_as_metas_status_settles_the_one_a_dead_worker_left(
    client, contact, fake_graph, killed_mid_call, later
):
    message = killed_mid_call("Selamat datang", after_meta_accepted=True)
    enqueue(contact, payload={"body": "Silakan pilih layanan"})
    assert fake_graph.texts(PHONE) == ["Selamat datang"]
    later(STALE_SECONDS + 10)
    services.outbox_sweep()
    metas_status(client, fake_graph, message, "sent")
    assert fake_graph.texts(PHONE) == ["Selamat datang", "Silakan pilih layanan"]


def test_other_people_are_not_held_up_by_a_message_a_dead_worker_left(office, contact, fake_graph, killed_mid_call):
    killed_mid_call("Selamat datang", after_meta_accepted=False)
    other = Contact.objects.create(office=office, phone="6281299998888", last_inbound_at=timezone.now())
    enqueue(other, payload={"body": "Permohonan Anda sudah kami terima."})
    assert fake_graph.texts("6281299998888") == ["Permohonan Anda sudah kami terima."]


def test_no_resend_while_webhooks_received_in_the_grace_window_still_wait_to_be_processed(
    contact, fake_graph, killed_mid_call, later
):
    from pencet.whatsapp.models import WebhookDelivery

    killed_mid_call("Selamat datang", after_meta_accepted=False)
    later(30)
    backlog = WebhookDelivery.objects.create(body=b"{}", signature="")  # our workers are behind: it may be the status
    later(STALE_SECONDS + GRACE_SECONDS)
    services.outbox_sweep()
    assert fake_graph.sent() == []
    WebhookDelivery.objects.filter(pk=backlog.pk).update(processed_at=timezone.now())
    services.outbox_sweep()
    assert fake_graph.texts(PHONE) == ["Selamat datang"]


def test_a_message_whose_last_attempt_died_stays_unknown_for_staff_and_lets_the_next_ones_go(
    contact, fake_graph, killed_mid_call, later, settings, status_calls
):
    settings.WHATSAPP_MAX_ATTEMPTS = 1
    message = killed_mid_call("Selamat datang", after_meta_accepted=False)
    enqueue(contact, payload={"body": "Silakan pilih layanan"})
    later(STALE_SECONDS + GRACE_SECONDS + 60)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == "unknown" and message.error_code == "unknown"
    assert fake_graph.texts(PHONE) == ["Silakan pilih layanan"]
    assert (message.pk, "unknown") in status_calls
