import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from pencet.lib.pdf_forms import blank_form_pdf

from . import blank_forms
from .blank_forms import form_code_find
from .models import ALL_DELIVERY_MODES, DEFAULT_STAGE_MINUTES, Requirement, Service, Stage, StageTarget
from .seed_data import BUNDLES, DELIVERY_MODES, SERVICES, SUBJECT_FIELDS


@transaction.atomic
def catalog_seed() -> int:
    """Create the national catalogue where it is missing; never overwrite an office's edits."""
    created = 0
    for order, spec in enumerate(SERVICES + BUNDLES, start=1):
        spec = dict(spec)
        requirements = spec.pop("requirements")
        components = spec.pop("components", [])
        spec.setdefault("subject_fields", list(SUBJECT_FIELDS.get(spec["code"], [])))
        spec.setdefault("delivery_modes", list(DELIVERY_MODES.get(spec["code"], ALL_DELIVERY_MODES)))
        service, was_created = Service.objects.get_or_create(
            code=spec["code"], defaults={**spec, "sort_order": order * 10, "is_bundle": bool(components)}
        )
        created += was_created
        stage_targets_seed(service=service)
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
                form=item.get("form") or form_code_find(item["name"]),
                original_shown=item.get("original_shown", False),
            )
        if components:
            service.components.set(Service.objects.filter(code__in=components))
    return created


def stage_targets_seed(*, service: Service) -> None:
    """The default target of every stage the service has none for; an office's edits are kept."""
    have = set(service.stage_targets.values_list("stage", flat=True))
    StageTarget.objects.bulk_create(
        StageTarget(service=service, stage=stage, minutes=minutes)
        for stage, minutes in DEFAULT_STAGE_MINUTES.items()
        if stage not in have
    )


def service_stage_minutes(*, service: Service, stage: str) -> int | None:
    """The working minutes `stage` may take for `service`; a bundle takes the longest of its components.

    None when the stage has no target (waiting for the citizen, or a stage nobody set).
    """
    if stage == Stage.WAITING_CITIZEN:
        return None
    services = list(service.components.all()) if service.is_bundle else []
    rows = StageTarget.objects.filter(service__in=[service, *services], stage=stage)
    minutes = [r.minutes for r in rows if r.service_id != service.pk or not services]
    if not minutes:
        return DEFAULT_STAGE_MINUTES.get(stage)
    return max(minutes)


def service_same_day(*, service: Service) -> bool:
    """A bundle promises "sehari jadi" only when every component does."""
    components = list(service.components.all()) if service.is_bundle else []
    return all(c.same_day for c in components) if components else service.same_day


def service_target_hours(*, service: Service) -> int:
    components = list(service.components.all()) if service.is_bundle else []
    return max([service.target_working_hours, *(c.target_working_hours for c in components)])


def blank_form_stored(*, code: str, office_code: str, office_name: str, office_address: str = "") -> str:
    """The storage name of the office's blank form `code` as a PDF, drawn once and kept (a new name when the form or
    the office's name or address changes). Raises KeyError for a code that is no known form."""
    form = blank_forms.BLANK_FORMS[code]
    fingerprint = repr((form, office_name, office_address)).encode()
    digest = hashlib.sha256(fingerprint).hexdigest()[:12]
    name = f"forms/{office_code or 'pusat'}/{form.code}-{digest}.pdf"
    if not default_storage.exists(name):
        data = blank_form_pdf(
            code=form.code,
            title=form.title,
            items=form.items,
            office_name=office_name,
            office_address=office_address,
            subtitle=blank_forms.LEGAL_BASIS,
        )
        default_storage.save(name, ContentFile(data))
    return name
