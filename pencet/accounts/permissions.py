"""What an office admin may do in the Django admin, derived from the role like every other right in Pencet.

An office admin (`Role.ADMIN` with an office) is staff, not a superuser: this backend grants the model
permissions below, and each ModelAdmin narrows the rows to the admin's office (`accounts.admin.OfficeScopedAdmin`).
Models missing here (webhook deliveries, the event outbox's plumbing…) stay with the operators' superuser,
created with `pencet createsuperuser`.
"""

from django.contrib.auth.backends import BaseBackend

from .models import Role, User


def _perms(app: str, model: str, *actions: str) -> set[str]:
    return {f"{app}.{action}_{model}" for action in actions}


OFFICE_ADMIN_PERMISSIONS: frozenset[str] = frozenset(
    # Their office (not its code or demo flag, see OfficeAdmin), staff and roles, calendar; API tokens to revoke.
    _perms("accounts", "office", "view", "change")
    | _perms("accounts", "user", "view", "add", "change")
    | _perms("accounts", "rolegrant", "view", "add", "change", "delete")
    | _perms("accounts", "dayoff", "view", "add", "change", "delete")
    | _perms("accounts", "openinghours", "view", "add", "change", "delete")
    | _perms("accounts", "apitoken", "view")
    # The national catalogue and regions are shared by every office: read-only.
    | _perms("regions", "region", "view")
    | _perms("catalog", "service", "view")
    | _perms("catalog", "requirement", "view")
    | _perms("catalog", "stagetarget", "view")
    | _perms("catalog", "messagetemplate", "view", "add", "change")
    | _perms("catalog", "cannedreply", "view", "add", "change", "delete")
    | _perms("cases", "eventhandling", "view")
    | _perms("cases", "accessrecord", "view")
    | _perms("bot", "conversation", "view")
    | _perms("bot", "handoffentry", "view")
    | _perms("delivery", "outputdocument", "view")
    | _perms("delivery", "delivery", "view")
    | _perms("surveys", "surveyperiod", "view", "add", "change")
    | _perms("surveys", "surveyquestion", "view", "add", "change", "delete")
    | _perms("surveys", "surveyresponse", "view")
    | _perms("surveys", "complaint", "view", "change")
    | _perms("surveys", "complaintentry", "view")
    | _perms("whatsapp", "channelalert", "view")
    | _perms("whatsapp", "contact", "view", "change")
    | _perms("whatsapp", "inboundmessage", "view")
    | _perms("whatsapp", "outboundmessage", "view")
    | _perms("whatsapp", "media", "view")
    | _perms("whatsapp", "webhookdelivery", "view")
    # pencet.outreach: desks and their hours are the office's to set; days are planned in the console.
    | _perms("outreach", "desk", "view", "add", "change")
    | _perms("outreach", "serviceday", "view", "change")
    | _perms("outreach", "booking", "view")
    | _perms("outreach", "homevisit", "view")
    | _perms("outreach", "subscription", "view", "add", "change")
    | _perms("outreach", "announcement", "view")
)


def user_is_office_admin(*, user: object) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and user.is_staff
        and user.office_id is not None
        and user.has_role(Role.ADMIN)
    )


class OfficeAdminPermissionBackend(BaseBackend):
    """Authenticates nobody; answers `has_perm` for office admins from OFFICE_ADMIN_PERMISSIONS."""

    def get_all_permissions(self, user_obj: object, obj: object = None) -> set[str]:
        return set(OFFICE_ADMIN_PERMISSIONS) if user_is_office_admin(user=user_obj) else set()

    def has_perm(self, user_obj: object, perm: str, obj: object = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: object, app_label: str) -> bool:
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
