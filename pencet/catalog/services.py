from django.db import transaction

from .models import Requirement, Service
from .seed_data import BUNDLES, SERVICES


@transaction.atomic
def catalog_seed() -> int:
    """Create the national catalogue where it is missing; never overwrite an office's edits."""
    created = 0
    for order, spec in enumerate(SERVICES + BUNDLES, start=1):
        spec = dict(spec)
        requirements = spec.pop("requirements")
        components = spec.pop("components", [])
        service, was_created = Service.objects.get_or_create(
            code=spec["code"], defaults={**spec, "sort_order": order * 10, "is_bundle": bool(components)}
        )
        created += was_created
        if not was_created:
            continue
        for position, item in enumerate(requirements, start=1):
            Requirement.objects.create(
                service=service,
                code=item["code"],
                name=item["name"],
                short_name=item["short_name"],
                order=position * 10,
                optional=item.get("optional", False),
                alternative_group=item.get("alt", ""),
                condition=item.get("condition", ""),
                instruction=item.get("instruction", ""),
                accepts=item.get("accepts", Requirement.Accepts.IMAGE_OR_PDF),
            )
        if components:
            service.components.set(Service.objects.filter(code__in=components))
    return created
