"""One JSON shape for every error: {"error": stable code, "message": Bahasa Indonesia, "detail": optional}."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pencet.cases.services import ApplicationPermissionError, TransitionError
from pencet.cases.signature import PASSPHRASE_LOCKED, PASSPHRASE_REQUIRED, SignatureNotConfirmed

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API answers with `status` and the JSON error shape."""

    def __init__(self, status: int, code: str, message: str, detail: object = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


def not_found() -> ApiError:
    # The same answer for "does not exist" and "exists but not yours", so nobody learns what other offices hold.
    return ApiError(404, "not_found", _("Permohonan tidak ditemukan."))


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, detail: object = None):
    body: dict[str, object] = {"error": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    return api.create_response(request, body, status=status)


def _validation_detail(errors: list) -> list:
    # Pydantic's error context may hold exception objects that JSON cannot carry; keep type, location and message.
    return [{"type": e.get("type"), "loc": e.get("loc"), "msg": e.get("msg")} for e in errors]


def exception_handlers_install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.detail)

    @api.exception_handler(ApplicationPermissionError)
    def _forbidden(request: HttpRequest, exc: ApplicationPermissionError) -> HttpResponse:
        return error_response(api, request, 403, exc.code, exc.message)

    @api.exception_handler(SignatureNotConfirmed)
    def _not_confirmed(request: HttpRequest, exc: SignatureNotConfirmed) -> HttpResponse:
        # No passphrase is a request the client must complete; a wrong one is refused like a missing right; too
        # many wrong ones are a rate limit.
        status = {PASSPHRASE_REQUIRED: 422, PASSPHRASE_LOCKED: 429}.get(exc.code, 403)
        return error_response(api, request, status, exc.code, exc.message)

    @api.exception_handler(TransitionError)
    def _conflict(request: HttpRequest, exc: TransitionError) -> HttpResponse:
        return error_response(api, request, 409, exc.code, exc.message)

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            api,
            request,
            401,
            "unauthorized",
            _("Token API tidak ada, salah atau sudah dicabut. Kirim header 'Authorization: Bearer <token>'."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            api, request, 422, "invalid_input", _("Data yang dikirim tidak valid."), _validation_detail(exc.errors)
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Alamat atau data tidak ditemukan."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # Ninja raises this for a body it cannot parse.
            return error_response(api, request, 400, "bad_request", _("Isi permintaan bukan JSON yang valid."))
        return error_response(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django refuses to read a body above DATA_UPLOAD_MAX_MEMORY_SIZE; the client hears why, as JSON.
        return error_response(api, request, 413, "too_large", _("Isi permintaan terlalu besar."))

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Too many fields or files, a malformed multipart body: the request's fault, never a 500.
        return error_response(api, request, 400, "bad_request", _("Permintaan tidak dapat dibaca."))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, "server_error", _("Terjadi kesalahan di server. Silakan coba lagi atau hubungi admin.")
        )
