"""Property-based: every operation of the API's own OpenAPI document, fed schemathesis' valid and invalid data,
never answers 5xx (the API's catch-all turns any unhandled exception into a 500, so this covers those too)."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from pencet.accounts.services import api_token_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Five examples per operation, most of them valid, the rest deliberately invalid: quick enough for every run.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}


@pytest.fixture
def wsgi_app():
    from pencet.wsgi import application

    # The WSGI handler closes the connection after each request, which would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error_for_any_input(wsgi_app, make_application, gita, settings_override):
    make_application()
    _token, key = api_token_create(user=gita, name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    schema = openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:  # noqa: ANN001
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                check()
            except Exception as error:  # noqa: BLE001 - collected, all reported at once below
                failures.append(f"{operation.label} ({mode}): {str(error)[:600]}")
    assert failures == []


@pytest.fixture
def settings_override(settings):
    # Quiet and fast: no Huey queue behind the writes, every host the test transport uses allowed.
    settings.ALLOWED_HOSTS = ["*"]
    return settings
