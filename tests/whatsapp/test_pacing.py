"""Meta's pair rate limit as a citizen lives it, with production pacing (a burst of 45, then one per 6 s): a turn
arrives at once, only a long burst is spread out, and a 131056 from Meta makes the outbox back off.

The clock is frozen and moved by hand, and the delays the outbox schedules are read instead of waited for.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from pencet.whatsapp import outbox, services
from pencet.whatsapp.models import Contact, OutboundMessage
from pencet.whatsapp.outbox import pace_take
from tests.wa import PHONE, USER_ID, run_on_commit, signed_post, wa_text

OTHER_PHONE = "6281299998888"


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def scheduled(monkeypatch) -> list[tuple[int, float]]:
    """(outbound id, delay in seconds) of every send the outbox put off, instead of Huey's schedule."""
    calls: list[tuple[int, float]] = []
    monkeypatch.setattr(outbox.outbox_send_task, "schedule", lambda args, delay: calls.append((args[0], delay)))
    return calls


@pytest.fixture
def sari(office, clock) -> Contact:
    return Contact.objects.create(office=office, phone=PHONE, wa_user_id=USER_ID, last_inbound_at=clock.now)


def send(contact: Contact, *bodies: str) -> list[OutboundMessage]:
    """One turn: the messages are written together and sent after the commit."""
    with run_on_commit():
        rows = [services.outbox_enqueue(contact=contact, kind="text", payload={"body": b}) for b in bodies]
    for row in rows:
        row.refresh_from_db()
    return rows


def answer_twice(*, message) -> None:
    """A conversation that answers every message with a two-message turn."""
    for body in ("Baik, Bu Sari.", "Silakan kirim foto KK Anda."):
        services.outbox_enqueue(contact=message.contact, kind="text", payload={"body": body})


def test_the_suite_runs_with_production_pacing(settings):
    assert settings.WHATSAPP_PAIR_INTERVAL_SECONDS == 6
    assert settings.WHATSAPP_PAIR_BURST == 45


def test_a_two_message_turn_reaches_the_citizen_at_once(sari, fake_graph, scheduled):
    first, second = send(sari, "Permohonan Anda kami terima.", "Nomor permohonan: SNJ-2611-0042.")
    assert fake_graph.texts(PHONE) == ["Permohonan Anda kami terima.", "Nomor permohonan: SNJ-2611-0042."]
    assert first.status == second.status == "sent"
    assert first.sent_at == second.sent_at  # the same frozen moment: nothing waited
    assert scheduled == []


def test_the_46th_message_of_a_burst_waits_for_the_next_token(sari, fake_graph, scheduled, clock):
    rows = send(sari, *[f"pesan {i}" for i in range(1, 47)])
    assert len(fake_graph.sent(PHONE)) == 45
    last = rows[-1]
    assert last.status == "queued" and last.next_attempt_at == clock.now + timedelta(seconds=6)
    assert scheduled == [(last.pk, 6.0)]

    clock.advance(6)
    services.outbox_send(message_id=last.pk)
    assert fake_graph.last_text(PHONE) == "pesan 46"
    [late] = send(sari, "pesan 47")
    assert late.status == "queued" and scheduled[-1] == (late.pk, 6.0)


def test_after_a_quiet_minute_the_next_turn_goes_out_at_once_again(sari, fake_graph, scheduled, clock):
    send(sari, *[f"pesan {i}" for i in range(45)])
    clock.advance(12)
    rows = send(sari, "satu", "dua", "tiga")
    assert [r.status for r in rows] == ["sent", "sent", "queued"]  # two tokens came back in 12 s
    clock.advance(60)
    rows = send(sari, "empat", "lima")
    assert [r.status for r in rows] == ["sent", "sent"]
    assert fake_graph.texts(PHONE)[-3:] == ["tiga", "empat", "lima"]  # the one that waited goes first


def test_another_citizen_has_a_bucket_of_her_own(sari, office, fake_graph, scheduled, clock):
    send(sari, *[f"pesan {i}" for i in range(46)])
    other = Contact.objects.create(office=office, phone=OTHER_PHONE, last_inbound_at=clock.now)
    first, second = send(other, "Selamat pagi.", "Ada yang bisa kami bantu?")
    assert first.status == second.status == "sent"
    assert fake_graph.texts(OTHER_PHONE) == ["Selamat pagi.", "Ada yang bisa kami bantu?"]


def test_the_bucket_is_kept_on_the_contact_so_every_worker_sees_it(sari, fake_graph, scheduled):
    send(sari, *[f"pesan {i}" for i in range(45)])
    elsewhere = Contact.objects.get(pk=sari.pk)  # what another worker process loads
    assert elsewhere.pace_tokens == 0
    [row] = send(elsewhere, "pesan 46")
    assert row.status == "queued" and len(fake_graph.sent(PHONE)) == 45


def test_a_pair_rate_limit_error_empties_the_bucket_and_retries_after_the_interval(sari, fake_graph, scheduled, clock):
    fake_graph.fail_next(131056)
    first, second = send(sari, "Foto KK Anda sudah kami terima.", "Sekarang kirim foto KTP-el.")
    assert first.status == "queued" and first.error_code == "131056"
    assert first.next_attempt_at == clock.now + timedelta(seconds=6)
    assert (first.pk, 6.0) in scheduled
    sari.refresh_from_db()
    assert sari.pace_tokens == 0
    assert fake_graph.sent() == []  # Meta refused; nothing reached Sari

    clock.advance(6)
    with run_on_commit():  # a worker's send runs in autocommit: its schedule goes out as its claim commits
        services.outbox_send(message_id=first.pk)
    assert fake_graph.texts(PHONE) == ["Foto KK Anda sudah kami terima."]
    second.refresh_from_db()
    assert second.status == "queued" and scheduled[-1] == (second.pk, 6.0)  # the bucket refills one per 6 s

    clock.advance(6)
    services.outbox_send(message_id=second.pk)
    assert fake_graph.texts(PHONE) == ["Foto KK Anda sudah kami terima.", "Sekarang kirim foto KTP-el."]


def test_meta_refusing_again_doubles_the_wait(sari, fake_graph, scheduled, clock):
    fake_graph.fail_next(131056, times=2)
    [message] = send(sari, "Permohonan Anda kami terima.")
    clock.advance(6)
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 2
    assert message.next_attempt_at == clock.now + timedelta(seconds=12)
    clock.advance(12)
    services.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sent"


def test_the_token_bucket_by_hand(settings):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    later = start + timedelta(seconds=3)
    assert pace_take(tokens=None, counted_at=None, now=start) == (44.0, 0.0)  # a full bucket
    assert pace_take(tokens=0.0, counted_at=start, now=start) == (0.0, 6.0)
    assert pace_take(tokens=0.0, counted_at=start, now=later) == (0.5, 3.0)
    assert pace_take(tokens=0.5, counted_at=start, now=later) == (0.0, 0.0)
    assert pace_take(tokens=44.0, counted_at=start, now=start + timedelta(hours=1)) == (44.0, 0.0)  # never above 45
    settings.WHATSAPP_PAIR_INTERVAL_SECONDS = 0
    assert pace_take(tokens=0.0, counted_at=start, now=start) == (45.0, 0.0)  # pacing switched off


@pytest.mark.django_db(transaction=True)
def test_in_a_worker_the_turn_is_sent_right_after_its_commit_without_another_task(
    client, office, fake_graph, settings, monkeypatch
):
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.test_pacing.answer_twice"
    queued: list[int] = []
    monkeypatch.setattr(outbox, "outbox_send_task", queued.append)
    assert signed_post(client, wa_text(text="halo")).status_code == 200
    assert fake_graph.texts(PHONE) == ["Baik, Bu Sari.", "Silakan kirim foto KK Anda."]
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_in_a_worker_a_turn_past_the_burst_is_sent_when_the_next_token_comes(
    client, sari, fake_graph, scheduled, clock, settings
):
    """The answer claimed with the turn finds the bucket empty: it is put off to the token, not to the next sweep."""
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.test_pacing.answer_twice"
    Contact.objects.filter(pk=sari.pk).update(pace_tokens=0.0, pace_counted_at=clock.now)
    assert signed_post(client, wa_text(text="halo")).status_code == 200
    assert fake_graph.sent(PHONE) == []
    first, second = OutboundMessage.objects.order_by("pk")
    assert first.status == second.status == "queued"
    assert scheduled == [(first.pk, 6.0)]
    clock.advance(6)
    services.outbox_send(message_id=first.pk)
    assert fake_graph.texts(PHONE) == ["Baik, Bu Sari."]


def test_a_web_request_hands_the_send_to_a_worker(sari, fake_graph, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(outbox, "outbox_send_task", queued.append)
    [row] = send(sari, "Dari petugas: berkas Anda sudah lengkap.")
    assert queued == [row.pk] and fake_graph.sent() == []
