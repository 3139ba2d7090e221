from django.conf import settings
from django.http import HttpRequest


def console(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = sorted(user.roles) if user is not None and user.is_authenticated else []
    return {"user_roles": roles, "simulator_enabled": settings.SIMULATOR}
