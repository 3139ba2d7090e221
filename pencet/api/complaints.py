"""Complaint endpoints: the console's complaints queue for other systems, with the console's permission rules."""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from pencet.accounts.models import User
from pencet.cases.access import AccessKind, access_record
from pencet.cases.selectors import application_list_for_user
from pencet.surveys import complaints as services
from pencet.surveys.models import Complaint, ComplaintCategory
from pencet.surveys.selectors import complaint_for_user, complaints_filtered

from .errors import ApiError
from .schemas import MAX_OFFSET, ErrorOut

router = Router(tags=["complaints"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CategoryCode = Literal[tuple(ComplaintCategory.values)]  # type: ignore[valid-type]
StatusFilter = Literal[("open", *Complaint.Status.values)]  # type: ignore[valid-type]
STATE_CODES = {"closed", "not_answered", "confirmation_required"}


class ComplaintIn(Schema):
    text: str
    category: CategoryCode = Field(description="persyaratan, prosedur, waktu, biaya, produk, petugas, sarana, …")
    application: str | None = Field(None, description="Tracking code of the application it is about, if any.")
    citizen_name: str = ""
    citizen_phone: str = ""


class EntryOut(Schema):
    kind: str
    author: str | None
    text: str
    created_at: datetime


class ComplaintOut(Schema):
    tracking_code: str
    channel: str
    category: str
    category_label: str
    status: str
    status_label: str
    text: str
    citizen_name: str
    citizen_phone: str
    application: str | None
    assigned_to: str | None
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None
    confirmed_via: str
    entries: list[EntryOut] = Field(description="Notes (internal), replies, assignment, escalation, closing.")


class ComplaintPage(Schema):
    count: int
    items: list[ComplaintOut]


class ComplaintFilters(Schema):
    status: StatusFilter | None = None
    category: CategoryCode | None = None
    mine: bool = False
    late: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TextIn(Schema):
    text: str


class AssignIn(Schema):
    assignee: str = Field(description="Username of an officer of the office.")


class CloseIn(Schema):
    confirmed_via: Literal["counter", "whatsapp"] = Field(
        "counter", description="How the citizen confirmed the matter is settled."
    )
    note: str = ""


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


def _out(complaint: Complaint) -> dict:
    return {
        "tracking_code": complaint.tracking_code,
        "channel": complaint.channel,
        "category": complaint.category,
        "category_label": str(complaint.get_category_display()),
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "text": complaint.text,
        "citizen_name": complaint.citizen_name,
        "citizen_phone": complaint.citizen_phone,
        "application": complaint.application.tracking_code if complaint.application else None,
        "assigned_to": complaint.assigned_to.username if complaint.assigned_to else None,
        "created_at": complaint.created_at,
        "due_at": complaint.due_at,
        "answered_at": complaint.answered_at,
        "escalated_at": complaint.escalated_at,
        "closed_at": complaint.closed_at,
        "confirmed_via": complaint.confirmed_via,
        "entries": [
            {
                "kind": e.kind,
                "author": e.author.username if e.author else None,
                "text": e.text,
                "created_at": e.created_at,
            }
            for e in complaint.entries.select_related("author")
        ],
    }


def _error(exc: services.ComplaintError) -> ApiError:
    status = 403 if exc.code == "forbidden" else 409 if exc.code in STATE_CODES else 422
    return ApiError(status, exc.code, exc.message)


def _get(request: HttpRequest, code: str) -> Complaint:
    complaint = complaint_for_user(user=_user(request), code=code)
    if complaint is None:
        raise ApiError(404, "not_found", _("Pengaduan tidak ditemukan."))
    return complaint


@router.get("/complaints", response={200: ComplaintPage, **ERRORS}, summary="The complaints queue")
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilters]) -> dict:
    qs = complaints_filtered(
        user=_user(request),
        status=filters.status or "",
        category=filters.category or "",
        mine=filters.mine,
        late=filters.late,
    )
    page = qs[filters.offset : filters.offset + filters.limit]
    access_record(request=request, kind=AccessKind.LIST, object_type="complaints", query=request.GET.urlencode())
    return {"count": qs.count(), "items": [_out(c) for c in page]}


@router.post("/complaints", response={201: ComplaintOut, **ERRORS}, summary="File a complaint taken at the counter")
def complaint_create(request: HttpRequest, payload: ComplaintIn) -> HttpStatus[dict]:
    user = _user(request)
    if not services.complaint_may_file(user=user):
        raise ApiError(403, "forbidden", _("Akun Anda tidak dapat mencatat pengaduan."))
    application = None
    if payload.application:
        code = payload.application.strip().upper()
        application = application_list_for_user(user=user).filter(tracking_code=code).first()
        if application is None:
            raise ApiError(422, "unknown_application", _("Permohonan tidak ditemukan."))
    try:
        complaint = services.complaint_file(
            office=user.office,
            text=payload.text,
            category=payload.category,
            application=application,
            channel="counter",
            citizen_name=payload.citizen_name,
            citizen_phone=payload.citizen_phone,
            filed_by=user,
        )
    except services.ComplaintError as exc:
        raise _error(exc) from exc
    return HttpStatus(201, _out(complaint))


@router.get("/complaints/{code}", response={200: ComplaintOut, **ERRORS}, summary="One complaint with its history")
def complaint_detail(request: HttpRequest, code: str) -> dict:
    complaint = _get(request, code)
    access_record(request=request, kind=AccessKind.COMPLAINT, object_type="complaint", object_id=complaint.pk)
    return _out(complaint)


@router.post("/complaints/{code}/assign", response={200: ComplaintOut, **ERRORS})
def complaint_assign(request: HttpRequest, code: str, payload: AssignIn) -> dict:
    complaint = _get(request, code)
    assignee = User.objects.filter(username=payload.assignee, office_id=complaint.office_id).first()
    if assignee is None:
        raise ApiError(422, "bad_assignee", _("Pegawai itu tidak dapat ditugaskan."))
    try:
        services.complaint_assign(complaint=complaint, actor=_user(request), assignee=assignee)
    except services.ComplaintError as exc:
        raise _error(exc) from exc
    return _out(_get(request, code))


@router.post("/complaints/{code}/note", response={200: ComplaintOut, **ERRORS}, summary="Internal note")
def complaint_note(request: HttpRequest, code: str, payload: TextIn) -> dict:
    try:
        services.complaint_note_add(complaint=_get(request, code), actor=_user(request), text=payload.text)
    except services.ComplaintError as exc:
        raise _error(exc) from exc
    return _out(_get(request, code))


@router.post("/complaints/{code}/reply", response={200: ComplaintOut, **ERRORS}, summary="Answer the citizen")
def complaint_reply(request: HttpRequest, code: str, payload: TextIn) -> dict:
    try:
        with transaction.atomic():
            services.complaint_reply(complaint=_get(request, code), actor=_user(request), text=payload.text)
    except services.ComplaintError as exc:
        raise _error(exc) from exc
    return _out(_get(request, code))


@router.post("/complaints/{code}/close", response={200: ComplaintOut, **ERRORS}, summary="Close, citizen confirmed")
def complaint_close(request: HttpRequest, code: str, payload: CloseIn) -> dict:
    try:
        services.complaint_close(
            complaint=_get(request, code), actor=_user(request), confirmed_via=payload.confirmed_via, note=payload.note
        )
    except services.ComplaintError as exc:
        raise _error(exc) from exc
    return _out(_get(request, code))
