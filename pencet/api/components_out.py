"""A bundle's documents as the application detail answers them (`components`), with each one's offered steps."""

from pencet.accounts.models import User
from pencet.cases.components import component_actions_for
from pencet.cases.models import Application, Component


def component_out(component: Component, user: User, application_actions: list[str]) -> dict:
    return {
        "id": component.pk,
        "service": {"code": component.service.code, "name": component.service.name},
        "state": component.state,
        "state_label": str(component.get_state_display()),
        "siak_reference": component.siak_reference,
        "verified_by": component.verified_by.username if component.verified_by else None,
        "verified_at": component.verified_at,
        "signed_by": component.signed_by.username if component.signed_by else None,
        "signed_at": component.signed_at,
        "actions": component_actions_for(component=component, user=user)
        + [a for a in ("output_add", "output_specimen") if a in application_actions],
    }


def components_out(application: Application, user: User, application_actions: list[str]) -> list[dict]:
    parts = application.components.select_related("service", "verified_by", "signed_by")
    return [component_out(c, user, application_actions) for c in parts]
