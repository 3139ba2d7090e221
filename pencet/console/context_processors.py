from django.conf import settings
from django.http import HttpRequest


def console(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = sorted(user.roles) if user is not None and user.is_authenticated else []
    # Leadership (pimpinan) only watches: pages hide every action form.
    read_only = bool(roles) and set(roles) <= {"pimpinan"}
    return {"user_roles": roles, "simulator_enabled": settings.SIMULATOR, "read_only": read_only}
