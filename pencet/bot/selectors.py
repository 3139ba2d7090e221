"""Reads the conversation needs: the catalogue in menu order, requirement slots, a contact's applications."""

from django.db.models import Q, QuerySet

from pencet.accounts.models import Office, User
from pencet.cases.models import OPEN_STATUSES, Application
from pencet.catalog.models import Requirement, Service
from pencet.regions.models import Region
from pencet.whatsapp.models import Contact


def services_active() -> list[Service]:
    order = {g.value: i for i, g in enumerate(Service.Group)}
    services = Service.objects.filter(is_active=True)
    return sorted(services, key=lambda s: (order.get(s.group, 99), s.sort_order, s.name))


def slots_for(*, service: Service) -> list[list[int]]:
    """Requirements in order; alternatives (same alternative_group) share one slot."""
    slots: list[list[int]] = []
    groups: dict[str, list[int]] = {}
    for requirement in service.requirements.order_by("order", "pk"):
        key = requirement.alternative_group
        if key and key in groups:
            groups[key].append(requirement.pk)
            continue
        slot = [requirement.pk]
        if key:
            groups[key] = slot
        slots.append(slot)
    return slots


def service_form_codes(*, service: Service) -> list[str]:
    """The blank forms the service's requirements name, in requirement order."""
    codes: list[str] = []
    for code in service.requirements.exclude(form="").order_by("order", "pk").values_list("form", flat=True):
        if code not in codes:
            codes.append(code)
    return codes


def slot_requirements(*, slot: list[int]) -> list[Requirement]:
    by_id = Requirement.objects.in_bulk(slot)
    return [by_id[i] for i in slot if i in by_id]


def applications_of(*, contact: Contact, office: Office, staff: User | None) -> QuerySet[Application]:
    """The contact's applications at the office; for village staff also those they registered for residents."""
    condition = Q(contact=contact)
    if staff is not None:
        condition |= Q(submitted_by=staff)
    return Application.objects.filter(condition, office=office).select_related("service")


def application_open_latest(*, contact: Contact, office: Office, staff: User | None) -> Application | None:
    found = applications_of(contact=contact, office=office, staff=staff).filter(status__in=OPEN_STATUSES)
    return found.order_by("-created_at").first()


def regency_villages(*, office: Office) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=office.regency_id + ".")


def regency_districts(*, office: Office) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=office.regency_id, level=Region.Level.DISTRICT)
