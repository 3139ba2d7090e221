from datetime import timedelta

import pytest
from django.utils import timezone

from tests.whatsapp import handlers


@pytest.fixture(autouse=True)
def channel_alone(settings) -> None:
    """The channel hands messages and statuses to the recorders in handlers.py instead of the bot and delivery."""
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.record_inbound"
    settings.WHATSAPP_STATUS_LISTENERS = ["tests.whatsapp.handlers.record_status"]
    handlers.inbound.clear()
    handlers.statuses.clear()
    handlers.failed.clear()


@pytest.fixture
def handled() -> list:
    """The inbound messages handed to the handler, in order."""
    return handlers.inbound


@pytest.fixture
def status_calls() -> list[tuple[int, str]]:
    """(outbound id, status) each time the status listeners were told."""
    return handlers.statuses


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    """Files the channel stores go to a temporary folder, not the developer's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def later(time_machine):
    """later(seconds): the clock moves on (and keeps ticking), for the outbox and the webhook alike."""
    time_machine.move_to(timezone.now(), tick=True)
    return lambda seconds: time_machine.shift(timedelta(seconds=seconds))
