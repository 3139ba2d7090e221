"""Parsing every update of a webhook: batches, duplicates, message types, contacts and their identity."""

import pytest
from django.utils import timezone

from pencet.whatsapp.models import Contact, InboundMessage, MessageStatus, OutboundMessage, WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_process
from tests.wa import (
    PHONE,
    USER_ID,
    signed_post,
    wa_batch,
    wa_button_reply,
    wa_list_reply,
    wa_message,
    wa_status,
    wa_template_button,
    wa_text,
)


def citizen(n: int) -> dict:
    return {"phone": f"62812000{n:05d}", "user_id": f"ID.90000000{n:05d}", "name": f"Warga {n}"}


def test_a_batch_of_many_entries_changes_messages_and_statuses_is_processed_completely(client, office, handled):
    out = OutboundMessage.objects.create(
        office=office,
        contact=Contact.objects.create(office=office, phone="6281"),
        kind="text",
        payload={"body": "x"},
        status="sent",
        wamid="wamid.OUT1",
    )
    updates = [wa_text(text=f"pesan {i}", timestamp=1_790_000_000 + i, **citizen(i % 25)) for i in range(120)]
    updates += [wa_status(wamid="wamid.OUT1", status=s) for s in ("sent", "delivered", "read")]
    payload = wa_batch(*updates, messages_per_change=7, changes_per_entry=3)
    assert len(payload["entry"]) > 1 and len(payload["entry"][0]["changes"]) == 3
    assert signed_post(client, payload).status_code == 200
    assert InboundMessage.objects.count() == 120
    assert Contact.objects.exclude(pk=out.contact_id).count() == 25
    assert [m.text for m in handled] == [f"pesan {i}" for i in range(120)]
    out.refresh_from_db()
    assert out.status == "read"
    assert MessageStatus.objects.count() == 3


def test_messages_are_handled_in_the_order_they_were_written(client, office, handled):
    later = wa_text(text="kedua", timestamp=1_790_000_100)
    earlier = wa_text(text="pertama", timestamp=1_790_000_000)
    signed_post(client, wa_batch(later, earlier))
    assert [m.text for m in handled] == ["pertama", "kedua"]


def test_a_duplicate_post_and_a_rebatched_delivery_change_nothing(client, office, handled):
    first, second = wa_text(text="satu", wamid="wamid.A"), wa_text(text="dua", wamid="wamid.B")
    signed_post(client, first)
    signed_post(client, first)
    signed_post(client, wa_batch(first, second))
    webhook_delivery_process(delivery=WebhookDelivery.objects.first())
    assert [m.text for m in handled] == ["satu", "dua"]
    assert InboundMessage.objects.count() == 2
    assert WebhookDelivery.objects.count() == 3


def test_a_late_sent_status_never_overwrites_read(client, office):
    contact = Contact.objects.create(office=office, phone=PHONE)
    out = OutboundMessage.objects.create(
        office=office, contact=contact, kind="text", payload={"body": "x"}, status="sent", wamid="wamid.X"
    )
    signed_post(client, wa_status(wamid="wamid.X", status="read"))
    signed_post(
        client, wa_batch(wa_status(wamid="wamid.X", status="delivered"), wa_status(wamid="wamid.X", status="sent"))
    )
    out.refresh_from_db()
    assert out.status == "read"


def test_a_failed_status_records_metas_code_for_staff(client, office):
    contact = Contact.objects.create(office=office, phone=PHONE)
    out = OutboundMessage.objects.create(
        office=office, contact=contact, kind="text", payload={"body": "x"}, status="sent", wamid="wamid.F"
    )
    signed_post(client, wa_status(wamid="wamid.F", status="failed", error_code=131026))
    out.refresh_from_db()
    assert (out.status, out.error_code) == ("failed", "131026")
    assert "undeliverable" in out.error_message


def test_a_status_reconciles_a_row_whose_send_outcome_was_unknown(client, office):
    contact = Contact.objects.create(office=office, phone=PHONE)
    out = OutboundMessage.objects.create(
        office=office, contact=contact, kind="text", payload={"body": "x"}, status="unknown"
    )
    signed_post(client, wa_status(wamid="wamid.LOST", status="delivered", biz_opaque_callback_data=str(out.pk)))
    out.refresh_from_db()
    assert (out.status, out.wamid) == ("delivered", "wamid.LOST")


@pytest.mark.parametrize(
    "payload, text, reply_id",
    [
        (lambda: wa_text(text="mau buat akta"), "mau buat akta", ""),
        (lambda: wa_button_reply(reply_id="svc:akta", title="Akta kelahiran"), "Akta kelahiran", "svc:akta"),
        (lambda: wa_list_reply(reply_id="row:2", title="KTP-el hilang"), "KTP-el hilang", "row:2"),
        (lambda: wa_template_button(payload="survey:start", text="Isi survei"), "Isi survei", "survey:start"),
    ],
)
def test_understood_messages_reach_the_handler_with_their_text_and_reply_id(
    client, office, handled, payload, text, reply_id
):
    signed_post(client, payload())
    [message] = handled
    assert (message.text, message.reply_id) == (text, reply_id)
    assert message.contact.phone == PHONE and message.contact.wa_user_id == USER_ID


@pytest.mark.parametrize(
    "kind, body",
    [
        ("audio", {"mime_type": "audio/ogg; codecs=opus", "id": "1", "voice": True}),
        ("video", {"mime_type": "video/mp4", "id": "2", "caption": "rekaman"}),
        ("sticker", {"mime_type": "image/webp", "id": "3", "animated": False}),
        ("location", {"latitude": -5.2, "longitude": 120.1, "name": "Kantor"}),
        ("contacts", [{"name": {"formatted_name": "Budi"}, "phones": [{"phone": "+62811"}]}]),
        ("unsupported", None),
    ],
)
def test_audio_video_stickers_locations_contacts_and_unsupported_go_to_the_handler_which_answers(
    client, office, handled, fake_graph, kind, body
):
    payload = wa_message(type=kind, body=body)
    if kind == "unsupported":
        payload["entry"][0]["changes"][0]["value"]["messages"][0]["errors"] = [
            {"code": 131051, "title": "Message type unknown", "message": "Message type unknown"}
        ]
    signed_post(client, payload)
    [message] = handled
    assert message.type == kind
    # The channel says nothing of its own: answering is the conversation's business.
    assert fake_graph.sent() == []
    assert message.declined_reason == ""


def test_an_interactive_message_that_is_no_reply_goes_to_the_handler_as_unsupported(client, office, handled):
    signed_post(client, wa_message(type="interactive", body={"type": "nfm_reply", "nfm_reply": {"name": "flow"}}))
    [message] = handled
    assert (message.type, message.text, message.reply_id) == ("unsupported", "", "")


def test_a_reaction_is_stored_but_not_answered(client, office, handled, fake_graph):
    signed_post(client, wa_message(type="reaction", body={"message_id": "wamid.OUT", "emoji": "👍"}))
    assert InboundMessage.objects.get().type == "reaction"
    assert handled == [] and fake_graph.sent() == []


def test_updates_for_an_unknown_phone_number_id_are_stored_not_processed(client, office, handled):
    response = signed_post(client, wa_text(text="halo", phone_number_id="999999999999999"))
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert "999999999999999" in delivery.error
    assert not InboundMessage.objects.exists() and not Contact.objects.exists() and handled == []


def test_messages_are_routed_to_the_office_owning_the_number(client, office, other_office, handled):
    signed_post(client, wa_text(text="dari Bone", phone_number_id="100000000000002"))
    assert handled[0].office == other_office and handled[0].contact.office == other_office


def test_a_contact_known_only_by_user_id_keeps_its_identity(client, office, handled):
    signed_post(client, wa_text(text="a", phone=None))
    signed_post(client, wa_text(text="b", phone=None))
    contact = Contact.objects.get()
    assert (contact.wa_user_id, contact.phone) == (USER_ID, None)
    assert {m.contact_id for m in handled} == {contact.pk}


def test_a_contact_known_only_by_phone_keeps_its_identity(client, office, handled):
    signed_post(client, wa_text(text="a", user_id=None))
    contact = Contact.objects.get()
    assert (contact.wa_user_id, contact.phone) == (None, PHONE)


def test_a_later_update_carrying_both_identifiers_merges_the_two_contacts(client, office, handled):
    signed_post(client, wa_text(text="pakai user id", phone=None))
    signed_post(client, wa_text(text="pakai nomor", user_id=None))
    assert Contact.objects.count() == 2
    signed_post(client, wa_text(text="keduanya"))
    contact = Contact.objects.get()
    assert (contact.wa_user_id, contact.phone) == (USER_ID, PHONE)
    assert contact.inbound_messages.count() == 3


def test_each_inbound_message_opens_the_24_hour_window(client, office, handled):
    from pencet.whatsapp.selectors import contact_window_open

    old = int(timezone.now().timestamp()) - 25 * 3600
    signed_post(client, wa_text(text="lama", timestamp=old))
    contact = Contact.objects.get()
    assert not contact_window_open(contact=contact)
    signed_post(client, wa_text(text="baru"))
    contact.refresh_from_db()
    assert contact_window_open(contact=contact)
    # An old message arriving late does not move the window back.
    signed_post(client, wa_text(text="terlambat", timestamp=old - 100))
    contact.refresh_from_db()
    assert contact_window_open(contact=contact)


def test_a_citizen_who_changed_number_keeps_the_contact_under_the_new_number(client, office, handled, fake_graph):
    signed_post(client, wa_text(text="halo"))
    body = {"body": f"User Sari changed from {PHONE} to 6285200001111", "wa_id": "6285200001111",
            "type": "user_changed_number"}  # fmt: skip
    signed_post(client, wa_message(type="system", body=body))
    contact = Contact.objects.get()
    assert contact.phone == "6285200001111" and contact.wa_user_id == USER_ID
    assert len(handled) == 1 and fake_graph.sent() == []
