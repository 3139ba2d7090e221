"""/healthz/ stays cheap, /readyz/ checks the database and the queue, /metrics tells an operator what to watch."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey import RedisHuey
from huey.contrib import djhuey

from pencet.cases.models import Application, Status
from pencet.ops.middleware import BUFFER
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage, WebhookDelivery

from .test_doctor import free_port

TOKEN = "rahasia-prometheus"


def scrape(client, **headers) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


@pytest.fixture(autouse=True)
def metrics_token(settings):
    settings.PENCET_METRICS_TOKEN = TOKEN
    settings.PENCET_METRICS_ALLOWED_IPS = []
    BUFFER.take()


def test_healthz_still_answers_ok_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert response.content == b"ok"
    assert len(queries) == 0


def test_readyz_says_ready_when_database_and_queue_answer(client, db):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json()["ready"] is True
    assert response.json()["checks"]["database"]["ok"] is True


def test_readyz_is_503_with_the_reason_when_the_queue_is_down(client, db, monkeypatch):
    down = RedisHuey("pencet-down", url=f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(djhuey, "HUEY", down)
    response = client.get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["queue"]["ok"] is False and body["checks"]["queue"]["backend"] == "RedisHuey"
    assert "Connection refused" in body["checks"]["queue"]["error"] or "Error" in body["checks"]["queue"]["error"]


def test_metrics_are_refused_without_the_token_or_an_allowed_address(client, db, settings):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 403
    settings.PENCET_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.9").status_code == 403


def _contact(office, n: int) -> Contact:
    return Contact.objects.create(office=office, phone=f"62812000000{n:02d}", wa_user_id=f"ID.{n}")


def test_metrics_count_webhooks_outbox_applications_and_reply_times(client, office, andi, akta_kelahiran):
    now = timezone.now()
    done = WebhookDelivery.objects.create(body=b"{}", processed_at=now)
    waiting = WebhookDelivery.objects.create(body=b"{}")
    failing = WebhookDelivery.objects.create(body=b"{}", error="m1: boom")
    dead = WebhookDelivery.objects.create(body=b"{}")
    WebhookDelivery.objects.filter(pk=waiting.pk).update(received_at=now - timedelta(seconds=90))
    WebhookDelivery.objects.filter(pk=dead.pk).update(received_at=now - timedelta(days=8))
    assert done and failing

    siti, rudi = _contact(office, 1), _contact(office, 2)
    for status in ("sent", "sent", "queued"):
        OutboundMessage.objects.create(office=office, contact=siti, kind="text", status=status)
    OutboundMessage.objects.create(office=office, contact=rudi, kind="text", status="failed", error_code="131026")

    # Siti's message was answered 3 s after it arrived, Rudi's 40 s after.
    for contact, wait in ((siti, 3), (rudi, 40)):
        inbound = InboundMessage.objects.create(
            office=office, contact=contact, wamid=f"wamid.{contact.pk}", type="text", sent_at=now
        )
        InboundMessage.objects.filter(pk=inbound.pk).update(received_at=now - timedelta(seconds=60))
        reply = OutboundMessage.objects.create(office=office, contact=contact, kind="text", status="delivered")
        OutboundMessage.objects.filter(pk=reply.pk).update(
            created_at=now - timedelta(seconds=59), sent_at=now - timedelta(seconds=60 - wait)
        )

    from pencet.cases import services as cases

    for name, late in (("Siti", True), ("Nur", False)):
        application = cases.application_create(office=office, service=akta_kelahiran, applicant_name=name)
        cases.application_submit(application=application, actor=None)
        due = now - timedelta(hours=1) if late else now + timedelta(days=3)
        Application.objects.filter(pk=application.pk).update(due_at=due)
    assert Application.objects.filter(status=Status.SUBMITTED).count() == 2

    text = scrape(client)
    assert "pencet_webhook_deliveries_received_total 4.0" in text
    assert "pencet_webhook_deliveries_processed_total 1.0" in text
    assert 'pencet_webhook_deliveries_unprocessed{state="pending"} 2.0' in text
    assert 'pencet_webhook_deliveries_unprocessed{state="failing"} 1.0' in text
    assert 'pencet_webhook_deliveries_unprocessed{state="dead"} 1.0' in text
    lag = float(next(line for line in text.splitlines() if line.startswith("pencet_webhook_processing_lag")).split()[1])
    assert 89 <= lag < 120
    assert 'pencet_outbox_messages{reason="",status="sent"} 2.0' in text
    assert 'pencet_outbox_messages{reason="",status="queued"} 1.0' in text
    assert 'pencet_outbox_messages{reason="131026",status="failed"} 1.0' in text
    assert 'pencet_applications_open{office="SNJ",status="submitted"} 2.0' in text
    assert 'pencet_applications_overdue{office="SNJ",status="submitted"} 1.0' in text
    assert 'pencet_bot_reply_seconds_bucket{le="5.0"} 1.0' in text
    assert 'pencet_bot_reply_seconds_bucket{le="60.0"} 2.0' in text
    assert "pencet_bot_reply_seconds_count 2.0" in text
    assert "pencet_bot_reply_seconds_sum 43.0" in text


def test_request_latency_is_summed_over_every_web_process(client, db, monkeypatch):
    from pencet.ops.services import view_latency_add

    # Another web process already flushed two slow webhook requests into the shared rows.
    other = [0.0] * 11 + [2.0, 1.6]
    other[8:11] = [2.0, 2.0, 2.0]  # both ≤ 2.5 s
    other[7] = 1.0  # one ≤ 1 s
    view_latency_add(data={"whatsapp:webhook": other})
    for _ in range(3):
        client.get("/healthz/")
    text = scrape(client)
    assert 'pencet_request_duration_seconds_count{view="healthz"} 3.0' in text
    assert 'pencet_request_duration_seconds_bucket{le="1.0",view="whatsapp:webhook"} 1.0' in text
    assert 'pencet_request_duration_seconds_bucket{le="2.5",view="whatsapp:webhook"} 2.0' in text
    assert 'pencet_request_duration_seconds_count{view="whatsapp:webhook"} 2.0' in text
    assert 'pencet_request_duration_seconds_sum{view="whatsapp:webhook"} 1.6' in text


def test_a_consumer_heartbeat_shows_as_a_live_consumer(client, db):
    from pencet.ops.tasks import ops_heartbeat

    assert "pencet_queue_consumers_alive 0.0" in scrape(client)
    ops_heartbeat.call_local()
    assert "pencet_queue_consumers_alive 1.0" in scrape(client)
