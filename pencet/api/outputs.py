"""Output documents and messages to the applicant: the console's remaining steps, for other systems.

Without these an application for WhatsApp or e-mail delivery would stop at `ready` for an API client. The same
services as the console (pencet.delivery.services, pencet.cases.messaging) check role, office and status.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja import Status as HttpStatus

from pencet.cases.messaging import officer_message_send
from pencet.delivery import services as delivery_services
from pencet.whatsapp.selectors import contact_window_open

from . import schemas as s
from .applications import ERRORS, application_detail_out, application_get, output_out, request_user
from .errors import ApiError

router = Router(tags=["outputs and messages"])


@router.post(
    "/applications/{tracking_code}/outputs",
    response={201: s.OutputOut, **ERRORS},
    summary="Attach an output PDF (multipart field `file`); answers its signature status",
)
def output_add(request: HttpRequest, tracking_code: str, file: File[UploadedFile]) -> HttpStatus[dict]:
    application = application_get(request, tracking_code)
    output = delivery_services.output_document_add(
        application=application, uploaded_file=file, actor=request_user(request)
    )
    return HttpStatus(201, output_out(output))


@router.post(
    "/applications/{tracking_code}/outputs/specimen",
    response={201: s.OutputOut, **ERRORS},
    summary="Demo offices only: create a signed specimen of the output document",
)
def output_specimen(request: HttpRequest, tracking_code: str) -> HttpStatus[dict]:
    application = application_get(request, tracking_code)
    output = delivery_services.output_specimen_create(application=application, actor=request_user(request))
    return HttpStatus(201, output_out(output))


@router.delete(
    "/applications/{tracking_code}/outputs/{output_id}",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="Take back a wrongly attached output that was not sent; answers the application",
)
def output_remove(request: HttpRequest, tracking_code: str, output_id: int) -> dict:
    application = application_get(request, tracking_code)
    output = application.outputs.filter(pk=output_id).first()
    if output is None:
        raise ApiError(404, "not_found", _("Dokumen hasil tidak ditemukan."))
    user = request_user(request)
    delivery_services.output_document_remove(output=output, actor=user)
    return application_detail_out(application, user)


@router.post(
    "/applications/{tracking_code}/messages",
    response={201: s.MessageOut, **ERRORS},
    summary="Write to the applicant on WhatsApp from the office's number",
)
def message_send(request: HttpRequest, tracking_code: str, payload: s.MessageIn) -> HttpStatus[dict]:
    application = application_get(request, tracking_code)
    message = officer_message_send(application=application, actor=request_user(request), body=payload.body)
    return HttpStatus(
        201, {"id": message.pk, "status": message.status, "window_open": contact_window_open(contact=message.contact)}
    )
