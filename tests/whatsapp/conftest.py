import sys
import types

import pytest


@pytest.fixture
def bot_calls(monkeypatch) -> list:
    """Replace the conversation bot by a recorder, so these tests judge the channel layer alone."""
    calls: list = []

    def bot_handle_inbound(*, message) -> None:
        calls.append(message)

    try:
        import pencet.bot.services as module
    except ImportError:
        module = types.ModuleType("pencet.bot.services")
        monkeypatch.setitem(sys.modules, "pencet.bot.services", module)
    monkeypatch.setattr(module, "bot_handle_inbound", bot_handle_inbound, raising=False)
    return calls


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    """Files the channel stores go to a temporary folder, not the developer's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
