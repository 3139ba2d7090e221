"""After registration: staff add a file, resubmit a returned application registered outside the bot, correct the
data. The same services as the console (pencet.cases.attachments, .corrections, .services) decide who may."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, UploadedFile
from ninja import Status as HttpStatus

from pencet.cases import services as cases
from pencet.cases.attachments import attachment_staff_add, upload_check
from pencet.cases.corrections import application_correct
from pencet.cases.models import Application, Status
from pencet.lib.nik import kk_parse, nik_parse
from pencet.lib.phone import phone_normalize
from pencet.regions.models import Region
from pencet.regions.selectors import region_names

from . import schemas as s
from .applications import ERRORS, application_detail_out, application_get, request_user
from .errors import ApiError
from .subject import subject_payload_check

router = Router(tags=["corrections and files"])


@router.post(
    "/applications/{tracking_code}/attachments",
    response={201: s.AttachmentOut, **ERRORS},
    summary="Add a file (multipart field `file`, optional form field `requirement` code) to a submitted application",
)
def attachment_add(
    request: HttpRequest, tracking_code: str, file: File[UploadedFile], requirement: Form[str] = ""
) -> HttpStatus[dict]:
    application = application_get(request, tracking_code)
    wanted = None
    if requirement.strip():
        wanted = application.service.requirements.filter(code=requirement.strip()).first()
        if wanted is None:
            raise ApiError(
                422, "unknown_requirement", _("Persyaratan '%(code)s' tidak dikenal.") % {"code": requirement}
            )
    attachment = attachment_staff_add(
        application=application,
        requirement=wanted,
        checked=upload_check(upload=file),
        original_name=file.name or "",
        actor=request_user(request),
        supersede=wanted is not None
        and application.status == Status.RETURNED
        and application.review_items.filter(requirement=wanted, resolved=False).exists(),
    )
    return HttpStatus(
        201,
        {
            "id": attachment.pk,
            "requirement": wanted.code if wanted else None,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "original_name": attachment.original_name,
        },
    )


@router.post(
    "/applications/{tracking_code}/resubmit",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="Resubmit a returned application registered by staff (the citizen resubmits a WhatsApp one)",
)
def application_resubmit(request: HttpRequest, tracking_code: str) -> dict:
    application = application_get(request, tracking_code)
    user = request_user(request)
    cases.application_resubmit(application=application, actor=user, actor_label="")
    return application_detail_out(application, user)


def _changes(payload: s.CorrectionIn, application: Application) -> dict:
    changes: dict[str, object] = {}
    if payload.applicant_name is not None:
        changes["applicant_name"] = payload.applicant_name.strip()
    if payload.nik is not None:
        check = nik_parse(value=payload.nik, region_names=region_names)
        if not check.valid:
            raise ApiError(422, "invalid_nik", " ".join(e.message for e in check.errors), check.error_codes)
        changes["nik"] = check.nik or ""
    if payload.kk_number is not None:
        kk = ""
        if payload.kk_number.strip():
            check = kk_parse(value=payload.kk_number, region_names=region_names)
            if not check.valid:
                raise ApiError(422, "invalid_kk", " ".join(e.message for e in check.errors), check.error_codes)
            kk = check.kk or ""
        changes["kk_number"] = kk
    if payload.phone is not None:
        phone = phone_normalize(payload.phone) or ""
        if payload.phone.strip() and not phone:
            raise ApiError(422, "invalid_phone", _("Nomor telepon tidak lengkap."))
        changes["phone"] = phone
    if payload.email is not None:
        changes["email"] = payload.email.strip()
    if payload.village is not None:
        village = Region.objects.filter(
            code=payload.village.strip(),
            level=Region.Level.VILLAGE,
            code__startswith=f"{application.office.regency_id}.",
        ).first()
        if village is None:
            raise ApiError(
                422,
                "unknown_village",
                _("Kode desa/kelurahan '%(code)s' tidak dikenal di wilayah kantor ini.") % {"code": payload.village},
            )
        changes["village"] = village
    if payload.event_date is not None:
        changes["event_date"] = payload.event_date
    if payload.subject is not None:
        changes["subject"] = subject_payload_check(service=application.service, values=payload.subject)
    return changes


@router.post(
    "/applications/{tracking_code}/corrections",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="Correct the applicant's or the subject's data; the timeline shows old → new",
)
def application_correction(request: HttpRequest, tracking_code: str, payload: s.CorrectionIn) -> dict:
    application = application_get(request, tracking_code)
    user = request_user(request)
    application_correct(
        application=application, actor=user, changes=_changes(payload, application), reason=payload.reason
    )
    return application_detail_out(application, user)
