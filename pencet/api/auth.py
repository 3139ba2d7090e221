from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from pencet.accounts.models import User
from pencet.accounts.services import api_token_authenticate

from .errors import ApiError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pct_…`: a live token of an active staff user; `request.auth` is the user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_authenticate(key=token.strip())
        if api_token is None:
            return None
        user = api_token.user
        # The console answers a role-less account with 403 too (console.decorators.staff_required).
        if not user.roles and not user.is_superuser:
            raise ApiError(403, "no_role", _("Akun Anda belum memiliki peran. Hubungi admin kantor."))
        return user
