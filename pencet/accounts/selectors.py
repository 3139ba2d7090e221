import math

from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, Office, Role, User


def demo_login_list(*, office: Office) -> list[tuple[str, str]]:
    """(username, role label) of the office's demo accounts in role order, printed when the demo starts."""
    names = set(User.objects.filter(office=office, username__in=Role.values).values_list("username", flat=True))
    return [(role.value, str(role.label)) for role in Role if role.value in names]


def demo_office_get() -> Office | None:
    return Office.objects.filter(is_demo=True).order_by("pk").first()


def user_has_confirmed_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_wait_seconds(*, user: User, confirmed: bool = True) -> int:
    """Seconds before any of the user's authenticators (the confirmed ones, or the one being enrolled) checks a code
    again; 0 when one checks now. After each wrong code django-otp refuses every code, the right one too, for twice
    as long as after the one before (1, 2, 4, 8 … s)."""
    waits = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=confirmed):
        allowed, refusal = device.verify_is_allowed()
        if allowed:
            return 0
        waits.append(max(1, math.ceil((refusal["locked_until"] - timezone.now()).total_seconds())))
    return min(waits, default=0)


def api_token_list_for_user(*, user: User) -> list[ApiToken]:
    """The user's own tokens, live ones first, newest first."""
    return list(user.api_tokens.order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"))
