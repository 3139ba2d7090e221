from django.conf import settings
from django.http import HttpRequest

from pencet.whatsapp.selectors import channel_alerts_open

from .decorators import otp_satisfied


def console(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    # Past the password but not yet the second factor (the code or the enrolment page), an officer gets no menu:
    # every entry would lead back to that page. Nor the channel's alerts, which are the office's business.
    verified = user is not None and user.is_authenticated and otp_satisfied(request)
    roles = sorted(user.roles) if verified else []
    # Leadership (pimpinan) only watches: pages hide every action form.
    read_only = bool(roles) and set(roles) <= {"pimpinan"}
    # Admins must see at once when WhatsApp sending stopped (e.g. an expired token), not only in /admin/.
    is_admin = verified and (user.is_superuser or "admin" in roles)
    alerts = channel_alerts_open(office_id=user.office_id) if is_admin else []
    return {
        "user_roles": roles,
        "simulator_enabled": settings.SIMULATOR,
        "read_only": read_only,
        "channel_alerts": alerts,
    }
