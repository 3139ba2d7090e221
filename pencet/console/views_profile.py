"""The officer's profile page: their REST API tokens (list, create — shown once —, revoke)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pencet.accounts.models import ApiToken
from pencet.accounts.selectors import api_token_list_for_user
from pencet.accounts.services import api_token_create, api_token_revoke

from .decorators import staff_required


@staff_required
def profile(request: HttpRequest) -> HttpResponse:
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            name = request.POST.get("name", "").strip()[:100]
            _token, new_key = api_token_create(user=request.user, name=name)
            # Rendered, not redirected: the key exists only in this response and is never stored.
        elif action == "revoke":
            try:
                token = api_token_revoke(user=request.user, token_id=int(request.POST.get("token", "")))
            except (ValueError, ApiToken.DoesNotExist):
                messages.error(request, _("Token tidak ditemukan."))
            else:
                messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
            return redirect("console:profile")
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
            return redirect("console:profile")
    response = render(
        request,
        "console/profile.html",
        {"tokens": api_token_list_for_user(user=request.user), "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response
