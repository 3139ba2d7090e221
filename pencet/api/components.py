"""A bundle's documents (One Three, the death bundle): each taken through SIAK, verification, its own PDF, its own
signature and its own hand-over at the counter, with the same services and checks as the console
(pencet.cases.components, pencet.delivery.signing)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja import Status as HttpStatus

from pencet.cases.components import component_approve, component_hand_over, component_siak_record
from pencet.cases.models import Application, Component
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import component_sign

from . import schemas as s
from .applications import ERRORS, application_detail_out, application_get, output_out, request_user
from .errors import ApiError

router = Router(tags=["bundle documents"])


def _component(request: HttpRequest, tracking_code: str, component_id: int) -> tuple[Application, Component]:
    application = application_get(request, tracking_code)
    component = application.components.select_related("service").filter(pk=component_id).first()
    if component is None:
        raise ApiError(404, "not_found", _("Dokumen paket tidak ditemukan."))
    return application, component


@router.post(
    "/applications/{tracking_code}/components/{component_id}/complete-siak",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="The holding operator records one bundle document's SIAK reference",
)
def component_complete_siak(
    request: HttpRequest, tracking_code: str, component_id: int, payload: s.CompleteSiakIn
) -> dict:
    application, component = _component(request, tracking_code, component_id)
    user = request_user(request)
    component_siak_record(component=component, actor=user, siak_reference=payload.siak_reference, note=payload.note)
    return application_detail_out(application, user)


@router.post(
    "/applications/{tracking_code}/components/{component_id}/approve",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="The verifier approves one bundle document",
)
def component_verify(
    request: HttpRequest, tracking_code: str, component_id: int, payload: s.NoteIn | None = None
) -> dict:
    application, component = _component(request, tracking_code, component_id)
    user = request_user(request)
    component_approve(component=component, actor=user, note=payload.note if payload else "")
    return application_detail_out(application, user)


@router.post(
    "/applications/{tracking_code}/components/{component_id}/outputs",
    response={201: s.OutputOut, **ERRORS},
    summary="Attach one bundle document's output PDF (multipart field `file`)",
)
def component_output_add(
    request: HttpRequest, tracking_code: str, component_id: int, file: File[UploadedFile]
) -> HttpStatus[dict]:
    application, component = _component(request, tracking_code, component_id)
    output = delivery_services.output_document_add(
        application=application, uploaded_file=file, actor=request_user(request), component=component
    )
    return HttpStatus(201, output_out(output))


@router.post(
    "/applications/{tracking_code}/components/{component_id}/outputs/specimen",
    response={201: s.OutputOut, **ERRORS},
    summary="Demo offices only: a specimen of one bundle document",
)
def component_output_specimen(request: HttpRequest, tracking_code: str, component_id: int) -> HttpStatus[dict]:
    application, component = _component(request, tracking_code, component_id)
    output = delivery_services.output_specimen_create(
        application=application, actor=request_user(request), component=component
    )
    return HttpStatus(201, output_out(output))


@router.post(
    "/applications/{tracking_code}/components/{component_id}/sign",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="Sign (TTE) one bundle document's PDF with the signer's passphrase; ready after the last document",
)
def component_sign_one(
    request: HttpRequest, tracking_code: str, component_id: int, payload: s.SignIn | None = None
) -> dict:
    application, component = _component(request, tracking_code, component_id)
    user = request_user(request)
    component_sign(
        component=component,
        actor=user,
        passphrase=payload.passphrase if payload else "",
        seen=payload.documents if payload else None,
    )
    return application_detail_out(application, user)


@router.post(
    "/applications/{tracking_code}/components/{component_id}/pick-up",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="The counter hands one bundle document over; the application is picked up with the last document",
)
def component_pick_up(request: HttpRequest, tracking_code: str, component_id: int, payload: s.PickUpIn) -> dict:
    application, component = _component(request, tracking_code, component_id)
    user = request_user(request)
    component_hand_over(
        component=component,
        actor=user,
        collected_by=payload.collected_by,
        is_representative=payload.is_representative,
        originals_seen=payload.originals_seen,
        note=payload.note,
    )
    return application_detail_out(application, user)
