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
