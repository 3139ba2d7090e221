from collections.abc import Iterable

from django.db import transaction

from .models import ApiToken, Office, RoleGrant, User


@transaction.atomic
def user_create(
    *,
    username: str,
    office: Office | None,
    roles: Iterable[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    villages: Iterable[object] = (),
    whatsapp_number: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        office=office,
        first_name=first_name,
        last_name=last_name,
        email=email,
        whatsapp_number=whatsapp_number,
        is_staff=is_superuser or "admin" in set(roles),
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user_roles_set(user=user, roles=roles)
    if villages:
        user.villages.set(villages)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    user.role_grants.exclude(role__in=wanted).delete()
    have = set(user.role_grants.values_list("role", flat=True))
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(wanted - have)])
    user.__dict__.pop("_roles_cache", None)


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token; the plain key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return token, key
