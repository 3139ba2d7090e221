"""The REST API under /api/v1/: OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from .applications import router as applications_router
from .auth import TokenAuth
from .clocks import router as clocks_router
from .complaints import router as complaints_router
from .components import router as components_router
from .corrections import router as corrections_router
from .errors import exception_handlers_install
from .outputs import router as outputs_router
from .reports import router as reports_router
from .surveys import router as surveys_router

api = NinjaAPI(
    title="Pencet API",
    version="1",
    description=(
        "The officers' console actions for other systems. Authenticate with `Authorization: Bearer <token>`; "
        "a staff user creates a token on the console profile page or with `pencet api-token USERNAME`. "
        "Every call has exactly the console's permission checks (role, office, village). Errors are JSON: "
        '`{"error": code, "message": text in Bahasa Indonesia}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    # With "ninja" installed the docs page uses the Swagger UI files shipped in the package (works offline);
    # without it ninja would load them from a CDN, so the page is switched off.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
api.add_router("/", applications_router)
api.add_router("/", outputs_router)
api.add_router("/", components_router)
api.add_router("/", corrections_router)
api.add_router("/", surveys_router)
api.add_router("/", complaints_router)
api.add_router("/", clocks_router)
api.add_router("/", reports_router)
exception_handlers_install(api)


@csrf_exempt  # a bearer-token client has no CSRF cookie; without this a POST here would get Django's HTML 403
def unknown_path(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": "not_found", "message": _("Alamat API tidak dikenal.")}, status=404)


# Anything else under /api/v1/ answers JSON too, not the console's HTML 404 page.
urlpatterns = [path("", api.urls), re_path(r"^.*$", unknown_path)]
