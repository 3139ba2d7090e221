"""The console's and the API's helpers (logged-in personas, applications at any status), shared here."""

from tests.api.conftest import Api, api_as  # noqa: F401
from tests.console.conftest import (  # noqa: F401
    PDF_BYTES,
    _console_settings,
    attach,
    client_as,
    make_application,
    other_office_application,
)
