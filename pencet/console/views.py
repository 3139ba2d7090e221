from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.forms import OTPAuthenticationForm

from pencet.cases.selectors import queue_counts_for_user


def login_view(request: HttpRequest) -> HttpResponse:
    form_class = OTPAuthenticationForm if settings.OTP_REQUIRED else AuthenticationForm
    form = form_class(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        if settings.OTP_REQUIRED and getattr(user, "otp_device", None) is not None:
            from django_otp import login as otp_login

            otp_login(request, user.otp_device)
        return redirect(request.GET.get("next") or "console:home")
    return render(request, "console/login.html", {"form": form, "otp_required": settings.OTP_REQUIRED})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "console/home.html", {"queues": queue_counts_for_user(user=request.user)})
