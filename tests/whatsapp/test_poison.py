"""Poison deliveries: a crafted update is refused on its own, the rest of its POST is handled, nothing is retried
for ever, and the webhook never answers 5xx."""

import json
from datetime import timedelta

from django.utils import timezone

from pencet.whatsapp.models import Contact, InboundMessage, MessageStatus, WebhookDelivery
from tests.wa import PHONE, PHONE_NUMBER_ID, USER_ID, sign, signed_post, wa_batch, wa_status, wa_text


def good_and(bad: dict) -> dict:
    """A POST holding one crafted entry between two good messages."""
    first, last = wa_text(text="sebelum", phone="6281100000001"), wa_text(text="sesudah", phone="6281100000002")
    return {"object": "whatsapp_business_account", "entry": [first["entry"][0], bad, last["entry"][0]]}


def entry_with(value: dict) -> dict:
    return {"id": "200000000000001", "changes": [{"field": "messages", "value": value}]}


def metadata() -> dict:
    return {"display_phone_number": "6282188880001", "phone_number_id": PHONE_NUMBER_ID}


def assert_finished_with_the_good_ones_handled(handled: list) -> WebhookDelivery:
    assert sorted(m.text for m in handled) == ["sebelum", "sesudah"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None and delivery.dead_at is None
    assert delivery.next_attempt_at is None
    return delivery


def test_changes_that_are_a_number_are_refused_and_the_other_entries_handled(client, office, handled):
    response = signed_post(client, good_and({"id": "200000000000001", "changes": 5}))
    assert response.status_code == 200
    delivery = assert_finished_with_the_good_ones_handled(handled)
    assert "changes" in delivery.error


def test_a_contact_that_is_a_string_does_not_stop_the_messages_beside_it(client, office, handled):
    payload = wa_text(text="halo")
    payload["entry"][0]["changes"][0]["value"]["contacts"].insert(0, "Sari")
    assert signed_post(client, payload).status_code == 200
    assert [m.text for m in handled] == ["halo"]
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_timestamp_of_ten_to_the_eighteenth_is_clamped_to_the_moment_it_arrived(client, office, handled):
    before = timezone.now()
    assert signed_post(client, good_and(wa_text(text="masa depan", timestamp=10**18)["entry"][0])).status_code == 200
    message = InboundMessage.objects.get(text="masa depan")
    assert before - timedelta(seconds=1) <= message.sent_at <= timezone.now()
    assert sorted(m.text for m in handled) == ["masa depan", "sebelum", "sesudah"]


def test_a_future_timestamp_cannot_hold_the_24_hour_window_open(client, office, handled):
    from pencet.whatsapp.selectors import contact_window_open

    two_days_ahead = int((timezone.now() + timedelta(days=2)).timestamp())
    signed_post(client, wa_text(text="dari masa depan", timestamp=two_days_ahead))
    contact = Contact.objects.get()
    assert contact.last_inbound_at <= timezone.now()
    # A day and a bit later the window has closed, as it would for any message sent now.
    Contact.objects.update(last_inbound_at=contact.last_inbound_at - timedelta(hours=24, minutes=5))
    contact.refresh_from_db()
    assert not contact_window_open(contact=contact)


def test_a_status_with_a_future_timestamp_is_stored_at_the_moment_it_arrived(client, office):
    far = int((timezone.now() + timedelta(days=400)).timestamp())
    signed_post(client, wa_status(wamid="wamid.OUT1", status="delivered", timestamp=far))
    assert MessageStatus.objects.get().timestamp <= timezone.now()


def test_lone_surrogates_in_a_name_and_a_text_are_replaced_and_stored(client, office, handled):
    raw = json.dumps(wa_text(text="halo \ud83d", name="Sari \udc00")).encode()
    assert b"\\ud83d" in raw
    assert signed_post(client, raw).status_code == 200
    assert [m.text for m in handled] == ["halo \ufffd"]
    assert Contact.objects.get().profile_name == "Sari \ufffd"
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_nul_character_is_made_storable(client, office, handled):
    assert signed_post(client, wa_text(text="ha\u0000lo")).status_code == 200
    assert [m.text for m in handled] == ["ha\ufffdlo"]


def test_a_message_from_nobody_is_refused_without_retries_and_the_others_handled(client, office, handled):
    nobody = wa_text(text="siapa", user_id=None, phone=None)
    value = nobody["entry"][0]["changes"][0]["value"]
    value["messages"][0]["from"] = None
    value["contacts"] = [{"profile": {"name": "Tanpa Nomor"}}]
    assert signed_post(client, good_and(nobody["entry"][0])).status_code == 200
    delivery = assert_finished_with_the_good_ones_handled(handled)
    assert "sender" in delivery.error
    assert not InboundMessage.objects.filter(text="siapa").exists()


def test_json_nested_a_thousand_deep_gets_a_json_400_and_is_not_stored(client, office):
    deep = b'{"entry": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    response = signed_post(client, deep)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert not WebhookDelivery.objects.exists()


def test_json_deeper_than_any_meta_payload_gets_a_400(client, office):
    nested: dict = {"x": 1}
    for _ in range(40):
        nested = {"x": nested}
    payload = wa_text(text="halo")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["extra"] = nested
    assert signed_post(client, payload).status_code == 400


def test_shapes_that_are_wrong_everywhere_never_fail_the_delivery(client, office, handled):
    crafted = [
        {"id": "1", "changes": [5, "x", None, {"field": "messages", "value": 7}]},
        {"id": "2", "changes": [{"field": "messages", "value": {"metadata": "nope", "messages": [{}]}}]},
        entry_with({"metadata": metadata(), "messages": {"id": "x"}, "statuses": "none", "contacts": 3}),
        entry_with({"metadata": metadata(), "messages": [1, "two", {"id": ["list"], "from": PHONE}]}),
        entry_with({"metadata": metadata(), "messages": [{"id": "wamid.T", "from": {"x": 1}, "type": "text"}]}),
        entry_with({"metadata": metadata(), "messages": [{"id": "wamid.N", "from": PHONE, "type": ["text"]}]}),
        entry_with({"metadata": metadata(), "statuses": [{"id": "wamid.S", "status": "read", "errors": "x"}]}),
        entry_with({"metadata": metadata(), "statuses": [{"id": "wamid.S2", "status": "failed", "errors": [7]}]}),
        entry_with({"metadata": {"phone_number_id": ["x"]}, "messages": []}),
        "just a string",
    ]
    body = {"object": "whatsapp_business_account", "entry": crafted}
    assert signed_post(client, body).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None and delivery.dead_at is None


def test_a_wamid_longer_than_the_column_is_refused_not_crashed_on(client, office, handled):
    assert signed_post(client, good_and(wa_text(text="panjang", wamid="w" * 300)["entry"][0])).status_code == 200
    delivery = assert_finished_with_the_good_ones_handled(handled)
    assert "id" in delivery.error


def test_ten_messages_in_one_post_with_one_poisoned_gives_nine_handled(client, office, handled):
    messages = [wa_text(text=f"pesan {n}", phone=f"628110000{n:04d}") for n in range(10)]
    messages[4]["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = {"evil": True}
    messages[6]["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = None
    messages[6]["entry"][0]["changes"][0]["value"]["messages"][0].pop("from_user_id", None)
    messages[6]["entry"][0]["changes"][0]["value"]["contacts"] = [{"profile": {"name": "x"}}]
    batch = wa_batch(*messages, messages_per_change=10)
    assert signed_post(client, batch).status_code == 200
    assert sorted(m.text for m in handled) == sorted(f"pesan {n}" for n in range(10) if n != 6)


def test_a_user_id_only_message_still_works(client, office, handled):
    signed_post(client, wa_text(text="tanpa nomor", phone=None))
    assert Contact.objects.get().wa_user_id == USER_ID and handled[0].text == "tanpa nomor"


def test_an_unsigned_deep_body_is_refused_for_its_signature_first(client, office):
    deep = b"[" * 5000 + b"]" * 5000
    response = client.post("/whatsapp/webhook/", data=deep, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=sign(b"other"))  # fmt: skip
    assert response.status_code == 403
