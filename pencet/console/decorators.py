"""The one gate in front of every console page."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pencet.accounts.selectors import user_has_confirmed_totp


def otp_satisfied(request: HttpRequest) -> bool:
    return not settings.OTP_REQUIRED or request.user.is_verified()


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, past the second factor when it is required, and holding at least one role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not otp_satisfied(request):
            if user_has_confirmed_totp(user=user):
                # A session that skipped the code (e.g. enrolled elsewhere meanwhile): log in again with the code.
                return redirect_to_login(request.get_full_path())
            return redirect_to_login(request.get_full_path(), login_url="console:otp_setup")
        if not user.roles:
            return render(request, "console/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
