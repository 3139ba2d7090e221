"""Stand-ins for the conversation and for delivery, named in settings by the channel tests (conftest.py), so the
channel is judged alone and never imports the bot."""

inbound: list = []
statuses: list[tuple[int, str]] = []


def record_inbound(*, message) -> None:
    inbound.append(message)


def record_status(*, message) -> None:
    statuses.append((message.pk, message.status))


def fail_inbound(*, message) -> None:
    raise RuntimeError("handler down")


failed: list[str] = []


def fail_on_rusak(*, message) -> None:
    """Records every message; fails (and counts the failure) on any text starting with "rusak"."""
    if message.text.startswith("rusak"):
        failed.append(message.text)
        raise RuntimeError("handler down for " + message.text)
    inbound.append(message)


def answer_inbound(*, message) -> None:
    """Answers every message with one text, as the conversation's first reply would."""
    from pencet.whatsapp.services import outbox_enqueue

    outbox_enqueue(contact=message.contact, kind="text", payload={"body": f"Pesan Anda diterima: {message.text}"})
