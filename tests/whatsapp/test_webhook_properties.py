"""Property-based: whatever a signed POST holds, the webhook answers 200 or 400 (never 5xx) and processing it raises
nothing: every update is handled or refused with a note, none is left failing for a retry."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pencet.whatsapp import webhook
from pencet.whatsapp.models import WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_process
from tests.wa import PHONE_NUMBER_ID, sign, wa_message, wa_status, wa_text

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text of every kind Meta never sends and a careless sender might: lone surrogates, NUL, very long, digits.
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.sampled_from(["", "\x00", "6281234567890", "wamid." + "x" * 300, "1" * 30, PHONE_NUMBER_ID]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([10**18, -1, 0, 2**63, 1.5]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

MESSAGE_PATHS = [
    ("entry",),
    ("entry", 0),
    ("entry", 0, "changes"),
    ("entry", 0, "changes", 0),
    ("entry", 0, "changes", 0, "field"),
    ("entry", 0, "changes", 0, "value"),
    ("entry", 0, "changes", 0, "value", "metadata"),
    ("entry", 0, "changes", 0, "value", "metadata", "phone_number_id"),
    ("entry", 0, "changes", 0, "value", "contacts"),
    ("entry", 0, "changes", 0, "value", "contacts", 0),
    ("entry", 0, "changes", 0, "value", "contacts", 0, "profile"),
    ("entry", 0, "changes", 0, "value", "contacts", 0, "profile", "name"),
    ("entry", 0, "changes", 0, "value", "contacts", 0, "wa_id"),
    ("entry", 0, "changes", 0, "value", "contacts", 0, "user_id"),
    ("entry", 0, "changes", 0, "value", "messages"),
    ("entry", 0, "changes", 0, "value", "messages", 0),
    ("entry", 0, "changes", 0, "value", "messages", 0, "id"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "from"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "from_user_id"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "timestamp"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "type"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "context"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "BODY"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "BODY", "type"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "BODY", "body"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "BODY", "list_reply"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "BODY", "button_reply"),
    ("entry", 0, "changes", 0, "value", "messages", 0, "system"),
    ("entry", 0, "changes", 0, "value", "statuses"),
]
STATUS_PATHS = [
    ("entry", 0, "changes", 0, "value", "statuses", 0),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "id"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "status"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "timestamp"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "errors"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "errors", 0),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "errors", 0, "code"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "errors", 0, "error_data"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "biz_opaque_callback_data"),
]
# Message types that need no download (a photo or document would go to the Graph API for its file).
TYPES = ["text", "interactive", "button", "reaction", "system", "audio", "location", "contacts", "unsupported"]


def skeleton(kind: str) -> dict:
    if kind == "text":
        return wa_text(text="halo")
    if kind == "interactive":
        return wa_message(type="interactive", body={"type": "list_reply", "list_reply": {"id": "a", "title": "A"}})
    if kind == "status":
        return wa_status(wamid="wamid.OUT", status="delivered")
    return wa_message(type=kind, body={"body": "x"})


def mutate(payload: dict, path: tuple, value: object) -> dict:
    """The payload with the value at `path` replaced (BODY stands for the message type's own object)."""
    payload = copy.deepcopy(payload)
    try:
        kind = str(payload["entry"][0]["changes"][0]["value"]["messages"][0]["type"])
    except (KeyError, IndexError, TypeError):
        kind = "text"
    path = tuple(kind if step == "BODY" else step for step in path)
    target = payload
    for step in path[:-1]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            return payload
    if isinstance(target, dict) or (isinstance(target, list) and isinstance(path[-1], int) and path[-1] < len(target)):
        target[path[-1]] = value
    return payload


@pytest.fixture
def wake_up_off(monkeypatch) -> None:
    """Processing runs in the test itself, so an exception in it would reach the test and fail it."""
    monkeypatch.setattr(webhook, "webhook_process_task", lambda delivery_id: None)


def post_and_process(client, raw: bytes) -> int:
    response = client.post(
        "/whatsapp/webhook/", data=raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(raw)
    )
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        delivery = WebhookDelivery.objects.latest("id")
        webhook_delivery_process(delivery=delivery)
        delivery.refresh_from_db()
        assert delivery.processed_at is not None, delivery.error
        assert delivery.next_attempt_at is None and delivery.dead_at is None
    return response.status_code


@BOUNDED
@given(
    kind=st.sampled_from([*TYPES, "status"]),
    changes=st.lists(st.tuples(st.sampled_from(MESSAGE_PATHS + STATUS_PATHS), json_values), min_size=1, max_size=3),
)
def test_a_meta_payload_with_any_part_replaced_is_handled_or_refused_never_crashed_on(
    client, office, wake_up_off, kind, changes
):
    payload = skeleton(kind)
    for path, value in changes:
        payload = mutate(payload, path, value)
    post_and_process(client, json.dumps(payload).encode())


@BOUNDED
@given(body=json_values)
def test_any_json_body_is_answered_without_a_5xx(client, office, wake_up_off, body):
    post_and_process(client, json.dumps(body).encode())


@settings(BOUNDED, max_examples=30)
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_answered_without_a_5xx(client, office, wake_up_off, raw):
    post_and_process(client, raw)
