"""Login (password, then the TOTP code or its enrolment), logout."""

import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from pencet.accounts.models import User
from pencet.accounts.selectors import totp_wait_seconds, user_has_confirmed_totp
from pencet.accounts.services import totp_device_confirm, totp_device_for_enrolment, totp_token_match

from .decorators import otp_satisfied

# Between the password and the code: who passed the password, and until when that counts.
PENDING_KEY = "pencet_otp_pending"
PENDING_SECONDS = 300


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Kode autentikator (6 digit)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
    )


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        # `request` lets django-axes count failures and lock the account out.
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("Nama pengguna atau kata sandi salah."))
        elif not settings.OTP_REQUIRED:
            login(request, user)
            return redirect(next_url)
        elif user_has_confirmed_totp(user=user):
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "until": time.time() + PENDING_SECONDS,
                "next": next_url,
            }
            return redirect("console:login_code")
        else:
            # Logged in but not verified: every console page sends them to enrolment until they confirm a code.
            login(request, user)
            return redirect(resolve_url("console:otp_setup") + "?" + urlencode({"next": next_url}))
    return render(request, "console/login.html", {"form": form, "next": next_url})


def login_code_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if user is None or pending["until"] < time.time():
        request.session.pop(PENDING_KEY, None)
        return redirect("console:login")
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := totp_wait_seconds(user=user):
            # Not a wrong code: no code is checked yet, so it neither counts towards the lockout nor is called wrong.
            form.add_error("code", _wait_message(wait))
            return render(request, "console/login_code.html", {"form": form})
        device = totp_token_match(user=user, token=form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        # A wrong code counts towards the lockout like a wrong password does.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("Kode salah atau sudah kedaluwarsa. Coba kode yang baru."))
    return render(request, "console/login_code.html", {"form": form})


# The page shows the TOTP secret (QR and text): no browser or proxy may keep a copy (Cache-Control: no-store).
@never_cache
@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if otp_satisfied(request):
        return redirect(next_url)
    if user_has_confirmed_totp(user=request.user):
        logout(request)
        return redirect("console:login")
    device = totp_device_for_enrolment(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := totp_wait_seconds(user=request.user, confirmed=False):
            form.add_error("code", _wait_message(wait))
        elif totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(next_url)
        else:
            form.add_error("code", _("Kode salah. Periksa jam ponsel Anda dan coba kode yang baru."))
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5),
        "secret": _secret_for_typing(device.bin_key),
    }
    return render(request, "console/otp_setup.html", context)


def _wait_message(seconds: int) -> str:
    return _("Terlalu banyak kode salah. Tunggu %(seconds)d detik, lalu ketik kode yang sedang tampil di aplikasi.") % {
        "seconds": seconds
    }


def _secret_for_typing(key: bytes) -> str:
    """The key as authenticator apps take it by hand: base32, in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")
