"""The applications endpoints: thin adapters over pencet.cases (selectors for reads, services for writes).

Every read starts from `application_list_for_user`, so an application of another office (or, for village
staff, another village) answers 404 exactly like one that does not exist. Every write then calls the
same service the console calls, which checks role, office and village again and raises TransitionError.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as HttpStatus

from pencet.accounts.models import Office, User
from pencet.cases import services as cases
from pencet.cases.access import AccessKind, access_record
from pencet.cases.models import Application, Channel, DeliveryPreference, Status
from pencet.cases.policies import application_actions_for, personal_data_policy_for
from pencet.cases.selectors import (
    application_list_for_user,
    application_priority_flags,
    applications_matching,
)
from pencet.cases.subject import subject_value_display
from pencet.catalog.models import (
    SUBJECT_EVENT_DATE_FIELDS,
    SUBJECT_NIK_FIELDS,
    Requirement,
    Service,
)
from pencet.delivery import services as delivery_services
from pencet.delivery.models import OutputDocument
from pencet.delivery.selectors import output_signature_summary, outputs_for
from pencet.delivery.signing import applications_sign
from pencet.lib.nik import kk_parse, nik_mask, nik_parse
from pencet.lib.phone import phone_normalize
from pencet.regions.models import Region
from pencet.regions.selectors import region_names

from . import schemas as s
from .clocks import clock_filter
from .components_out import components_out
from .errors import ApiError, not_found
from .subject import subject_payload_check

router = Router(tags=["applications"])

ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}


def request_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


def application_get(request: HttpRequest, tracking_code: str) -> Application:
    application = (
        application_list_for_user(user=request_user(request))
        .filter(tracking_code=tracking_code.strip().upper())
        .first()
    )
    if application is None:
        raise not_found()
    return application


def _summary(application: Application) -> dict:
    return {
        "tracking_code": application.tracking_code,
        "status": application.status,
        # The enum's label, one translation: get_status_display() hashes every status's lazy label on each row.
        "status_label": str(Status(application.status).label),
        "service": {"code": application.service.code, "name": application.service.name},
        "channel": application.channel,
        "applicant_name": application.applicant_name,
        "nik": nik_mask(application.nik),
        "village": {"code": application.village.code, "name": application.village.name}
        if application.village
        else None,
        "priority_elderly": application.priority_elderly,
        "priority_disability": application.priority_disability,
        "priority_flags": application_priority_flags(application=application),
        "claimed_by": application.claimed_by.username if application.claimed_by else None,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "status_changed_at": application.status_changed_at,
        "due_at": application.due_at,
    }


def output_out(output: OutputDocument) -> dict:
    return {
        "id": output.pk,
        "filename": output.filename,
        "size": output.size,
        "sha256": output.sha256,
        "signature_status": output.signature_status,
        "signature_summary": output_signature_summary(output=output),
        "is_specimen": output.is_specimen,
        "component": output.component_id,
        "created_at": output.created_at,
    }


def application_detail_out(application: Application, user: User) -> dict:
    application = application_list_for_user(user=user).select_related("submitted_by").get(pk=application.pk)
    personal = personal_data_policy_for(user=user, application=application)
    actions = application_actions_for(application=application, user=user)
    data = _summary(application)
    data.update(
        {
            "nik": personal.nik(application),
            "nik_masked": not personal.full_identity,
            "kk_number": personal.kk_number(application),
            "phone": application.phone,
            "email": application.email,
            "delivery_preference": application.delivery_preference,
            "event_date": application.event_date,
            "subject": {
                code: subject_value_display(code=code, value=value, full_nik=personal.full_identity)
                if code in SUBJECT_NIK_FIELDS
                else value
                for code, value in (application.subject or {}).items()
            },
            "note": application.note,
            "submitted_by": application.submitted_by.username if application.submitted_by else None,
            "claimed_at": application.claimed_at,
            "siak_reference": application.siak_reference,
            "siak_note": application.siak_note,
            "close_reason": application.close_reason,
            "closed_at": application.closed_at,
            "actions": actions,
            "outputs": [output_out(o) for o in outputs_for(application=application)],
            "components": components_out(application, user, actions),
            "attachments": [
                {
                    "id": a.pk,
                    "requirement": a.requirement.code if a.requirement else None,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                    "original_name": a.original_name,
                    "quality": a.quality or {},
                    "is_current": a.is_current,
                    "created_at": a.created_at,
                }
                for a in application.attachments.select_related("requirement")
            ],
            "review_items": [
                {
                    "requirement": r.requirement.code,
                    "requirement_name": r.requirement.name,
                    "verdict": r.verdict,
                    "reason": r.reason,
                    "reviewer": r.reviewer.username if r.reviewer else None,
                    "resolved": r.resolved,
                    "created_at": r.created_at,
                }
                for r in application.review_items.select_related("requirement", "reviewer")
            ],
            "events": [
                {
                    "kind": e.kind,
                    "actor": e.actor.username if e.actor else e.actor_label,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "note": e.note,
                    "data": e.data or {},
                    "created_at": e.created_at,
                }
                for e in application.events.select_related("actor")
            ],
        }
    )
    return data


def _filtered(user: User, f: s.ApplicationFilters) -> QuerySet[Application]:
    qs = application_list_for_user(user=user)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.service:
        qs = qs.filter(service__code=f.service)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.village:
        qs = qs.filter(village_id=f.village)
    if f.q and f.q.strip():
        qs = applications_matching(qs, query=f.q)
    # Days in the server's zone as ranges of moments, which the (office, submitted_at) index serves.
    zone = timezone.get_current_timezone()
    if f.submitted_from:
        qs = qs.filter(submitted_at__gte=datetime.combine(f.submitted_from, time.min, zone))
    if f.submitted_to:
        qs = qs.filter(submitted_at__lt=datetime.combine(f.submitted_to + timedelta(days=1), time.min, zone))
    qs = clock_filter(qs, overdue=f.overdue, due_soon=f.due_soon)
    return qs.order_by("-created_at", "-pk")


@router.get("/applications", response={200: s.ApplicationPage, **ERRORS}, summary="List and filter applications")
def application_list(request: HttpRequest, filters: Query[s.ApplicationFilters]) -> dict:
    qs = _filtered(request_user(request), filters)
    page = list(qs[filters.offset : filters.offset + filters.limit])
    searched = bool(filters.q and filters.q.strip())
    kind = AccessKind.SEARCH if searched else AccessKind.LIST
    access_record(request=request, kind=kind, query=request.GET.urlencode(), shown=page)
    if searched:
        # A text search counts up to a bound: no index gives the number of names containing "sari", so an exact
        # count reads every match (77,000 rows of 1,000,000 for a common name).
        count = qs[: s.SEARCH_COUNT_MAX + 1].count()
        capped = count > s.SEARCH_COUNT_MAX
        count = min(count, s.SEARCH_COUNT_MAX)
    else:
        count, capped = qs.count(), False
    return {
        "count": count,
        "count_capped": capped,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(a) for a in page],
    }


def _office_for(user: User, code: str | None) -> Office:
    if user.office_id is not None:
        return user.office
    office = Office.objects.filter(code=(code or "").strip().upper()).first()
    if office is None:
        raise ApiError(422, "office_required", _("Sebutkan kode kantor (field 'office') yang valid."))
    return office


@router.post(
    "/applications",
    response={201: s.ApplicationDetail, **ERRORS},
    summary="Register and submit an application received outside the bot (staff_intake or walk_in)",
)
def application_register(request: HttpRequest, payload: s.ApplicationIn) -> HttpStatus[dict]:
    user = request_user(request)
    office = _office_for(user, payload.office)
    service = Service.objects.filter(code=payload.service.strip(), is_active=True).first()
    if service is None:
        raise ApiError(422, "unknown_service", _("Layanan '%(code)s' tidak dikenal.") % {"code": payload.service})
    regency = office.regency_id
    village = Region.objects.filter(
        code=payload.village.strip(), level=Region.Level.VILLAGE, code__startswith=f"{regency}."
    ).first()
    if village is None:
        raise ApiError(
            422,
            "unknown_village",
            _("Kode desa/kelurahan '%(code)s' tidak dikenal di wilayah kantor ini.") % {"code": payload.village},
        )
    nik_check = nik_parse(value=payload.nik, region_names=region_names)
    if not nik_check.valid:
        raise ApiError(422, "invalid_nik", " ".join(e.message for e in nik_check.errors), nik_check.error_codes)
    kk_number = ""
    if payload.kk_number.strip():
        kk_check = kk_parse(value=payload.kk_number, region_names=region_names)
        if not kk_check.valid:
            raise ApiError(422, "invalid_kk", " ".join(e.message for e in kk_check.errors), kk_check.error_codes)
        kk_number = kk_check.kk or ""
    # The same rules as the console's registration form (console.forms).
    phone = phone_normalize(payload.phone) or ""
    if payload.phone.strip() and not phone:
        raise ApiError(422, "invalid_phone", _("Nomor telepon tidak lengkap."))
    if payload.delivery_preference == DeliveryPreference.EMAIL and not payload.email:
        raise ApiError(422, "email_required", _("Isi alamat e-mail untuk pengiriman lewat e-mail."))
    if payload.delivery_preference == DeliveryPreference.WHATSAPP and not phone:
        raise ApiError(422, "phone_required", _("Isi nomor WhatsApp untuk pengiriman lewat WhatsApp."))
    if payload.delivery_preference not in (service.delivery_modes or []):
        raise ApiError(
            422,
            "delivery_not_offered",
            _("Layanan ini hanya dapat diserahkan dengan: %(modes)s.") % {"modes": ", ".join(service.delivery_modes)},
        )
    subject = subject_payload_check(service=service, values=payload.subject)
    event_code = next((c for c in service.subject_fields or [] if c in SUBJECT_EVENT_DATE_FIELDS), None)
    event_date = payload.event_date
    if event_date is None and event_code and subject.get(event_code) and service.legal_deadline_days:
        event_date = date.fromisoformat(subject[event_code])
    # Create and submit together: a role that may not submit (leadership) leaves no orphan draft behind.
    with transaction.atomic():
        application = cases.application_create(
            office=office,
            service=service,
            channel=Channel(payload.channel),
            actor=user,
            applicant_name=payload.applicant_name.strip(),
            nik=nik_check.nik or "",
            kk_number=kk_number,
            phone=phone,
            email=payload.email,
            village=village,
            priority_elderly=payload.priority_elderly,
            priority_disability=payload.priority_disability,
            delivery_preference=payload.delivery_preference,
            event_date=event_date,
            subject=subject,
            note=payload.note,
        )
        cases.application_submit(application=application, actor=user, actor_label="")
    return HttpStatus(201, application_detail_out(application, user))


@router.post(
    "/applications/sign",
    response={200: list[s.ApplicationSummary], **ERRORS},
    summary="Sign many applications at once with the signer's passphrase (all or nothing)",
)
def application_sign_many(request: HttpRequest, payload: s.SignManyIn) -> list[dict]:
    user = request_user(request)
    codes = list(dict.fromkeys(c.strip().upper() for c in payload.codes if c.strip()))
    found = {a.tracking_code: a for a in application_list_for_user(user=user).filter(tracking_code__in=codes)}
    if not codes:
        raise ApiError(422, "codes_required", _("Sebutkan minimal satu kode permohonan."))
    missing = [c for c in codes if c not in found]
    if missing:
        raise ApiError(
            404,
            "not_found",
            _("Permohonan tidak ditemukan: %(codes)s. Tidak ada yang ditandatangani.") % {"codes": ", ".join(missing)},
            detail={"missing": missing},
        )
    signed = applications_sign(
        applications=[found[c] for c in codes],
        actor=user,
        passphrase=payload.passphrase,
        seen={code.strip().upper(): d for code, d in payload.documents.items()} if payload.documents else None,
    )
    return [_summary(a) for a in signed]


@router.get(
    "/applications/{tracking_code}",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="One application with its attachments (metadata), review items and timeline",
)
def application_detail(request: HttpRequest, tracking_code: str) -> dict:
    application = application_get(request, tracking_code)
    access_record(request=request, kind=AccessKind.APPLICATION, application=application)
    return application_detail_out(application, request_user(request))


def _done(request: HttpRequest, application: Application) -> dict:
    return application_detail_out(application, request_user(request))


@router.post("/applications/{tracking_code}/accept", response={200: s.ApplicationDetail, **ERRORS})
def application_accept(request: HttpRequest, tracking_code: str, payload: s.NoteIn | None = None) -> dict:
    application = application_get(request, tracking_code)
    cases.application_accept(application=application, actor=request_user(request), note=payload.note if payload else "")
    return _done(request, application)


@router.post("/applications/{tracking_code}/return", response={200: s.ApplicationDetail, **ERRORS})
def application_return(request: HttpRequest, tracking_code: str, payload: s.ReturnIn) -> dict:
    user = request_user(request)
    application = application_get(request, tracking_code)
    # Role and status first, so a refused officer learns that rather than which codes are wrong.
    cases.application_check_transition(application=application, name="return", actor=user)
    requirements = {r.code: r for r in Requirement.objects.filter(service=application.service)}
    unknown = [i.requirement for i in payload.items if i.requirement not in requirements]
    if unknown:
        raise ApiError(
            422,
            "unknown_requirement",
            _("Persyaratan tidak termasuk layanan ini: %(codes)s.") % {"codes": ", ".join(unknown)},
            detail={"unknown": unknown, "valid": sorted(requirements)},
        )
    items = [
        cases.ReviewVerdict(requirement=requirements[i.requirement], verdict=i.verdict, reason=i.reason.strip())
        for i in payload.items
    ]
    cases.application_return(application=application, actor=user, items=items, note=payload.note)
    return _done(request, application)


@router.post("/applications/{tracking_code}/reject", response={200: s.ApplicationDetail, **ERRORS})
def application_reject(request: HttpRequest, tracking_code: str, payload: s.ReasonIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_reject(application=application, actor=request_user(request), reason=payload.reason)
    return _done(request, application)


@router.post(
    "/applications/{tracking_code}/refer-late",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="A registration past its legal deadline: to the head of office for the late-registration decision",
)
def application_refer_late(request: HttpRequest, tracking_code: str, payload: s.NoteIn | None = None) -> dict:
    application = application_get(request, tracking_code)
    cases.application_refer_late(
        application=application, actor=request_user(request), note=payload.note if payload else ""
    )
    return _done(request, application)


@router.post("/applications/{tracking_code}/approve-late", response={200: s.ApplicationDetail, **ERRORS})
def application_approve_late(request: HttpRequest, tracking_code: str, payload: s.DecisionIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_approve_late(application=application, actor=request_user(request), note=payload.note)
    return _done(request, application)


@router.post("/applications/{tracking_code}/reject-late", response={200: s.ApplicationDetail, **ERRORS})
def application_reject_late(request: HttpRequest, tracking_code: str, payload: s.ReasonIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_reject_late(application=application, actor=request_user(request), reason=payload.reason)
    return _done(request, application)


@router.post("/applications/{tracking_code}/claim", response={200: s.ApplicationDetail, **ERRORS})
def application_claim(request: HttpRequest, tracking_code: str) -> dict:
    application = application_get(request, tracking_code)
    cases.application_claim(application=application, actor=request_user(request))
    return _done(request, application)


@router.post("/applications/{tracking_code}/release", response={200: s.ApplicationDetail, **ERRORS})
def application_release(request: HttpRequest, tracking_code: str, payload: s.NoteIn | None = None) -> dict:
    application = application_get(request, tracking_code)
    cases.application_release(
        application=application, actor=request_user(request), note=payload.note if payload else ""
    )
    return _done(request, application)


@router.post("/applications/{tracking_code}/take-over", response={200: s.ApplicationDetail, **ERRORS})
def application_take_over(request: HttpRequest, tracking_code: str, payload: s.TakeOverIn) -> dict:
    user = request_user(request)
    application = application_get(request, tracking_code)
    cases.application_check_transition(application=application, name="take_over", actor=user)
    # Only the application's office is searched, so the answer says nothing about other offices' accounts.
    operator = User.objects.filter(
        username=payload.operator.strip(), office_id=application.office_id, is_active=True
    ).first()
    if operator is None:
        raise cases.TransitionError(_("Pengganti harus operator SIAK di kantor yang sama."), code="bad_operator")
    cases.application_take_over(application=application, actor=user, operator=operator, note=payload.note)
    return _done(request, application)


@router.post("/applications/{tracking_code}/complete-siak", response={200: s.ApplicationDetail, **ERRORS})
def application_complete_siak(request: HttpRequest, tracking_code: str, payload: s.CompleteSiakIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_complete_siak(
        application=application, actor=request_user(request), siak_reference=payload.siak_reference, note=payload.note
    )
    return _done(request, application)


@router.post("/applications/{tracking_code}/approve", response={200: s.ApplicationDetail, **ERRORS})
def application_approve(request: HttpRequest, tracking_code: str, payload: s.NoteIn | None = None) -> dict:
    application = application_get(request, tracking_code)
    cases.application_approve(
        application=application, actor=request_user(request), note=payload.note if payload else ""
    )
    return _done(request, application)


@router.post("/applications/{tracking_code}/send-back", response={200: s.ApplicationDetail, **ERRORS})
def application_send_back(request: HttpRequest, tracking_code: str, payload: s.ReasonIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_send_back(application=application, actor=request_user(request), reason=payload.reason)
    return _done(request, application)


@router.post(
    "/applications/{tracking_code}/sign",
    response={200: s.ApplicationDetail, **ERRORS},
    summary="Sign (TTE) with the signer's passphrase; the signature is applied to the output PDF, which must exist",
)
def application_sign(request: HttpRequest, tracking_code: str, payload: s.SignIn | None = None) -> dict:
    application = application_get(request, tracking_code)
    applications_sign(
        applications=[application],
        actor=request_user(request),
        passphrase=payload.passphrase if payload else "",
        seen={application.tracking_code: payload.documents} if payload and payload.documents is not None else None,
    )
    return _done(request, application)


@router.post(
    "/applications/{tracking_code}/deliver",
    response={200: s.DeliverOut, **ERRORS},
    summary="Send the signed output to the applicant (e-mail and/or WhatsApp, following their preference)",
)
def application_deliver(request: HttpRequest, tracking_code: str, payload: s.DeliverIn | None = None) -> dict:
    user = request_user(request)
    application = application_get(request, tracking_code)
    deliveries = delivery_services.application_deliver(
        application=application, actor=user, override_reason=payload.override_reason if payload else ""
    )
    return {
        "application": _done(request, application),
        "deliveries": [{"id": d.pk, "channel": d.channel, "status": d.status} for d in deliveries],
    }


@router.post("/applications/{tracking_code}/pick-up", response={200: s.ApplicationDetail, **ERRORS})
def application_pick_up(request: HttpRequest, tracking_code: str, payload: s.PickUpIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_pick_up(
        application=application,
        actor=request_user(request),
        collected_by=payload.collected_by,
        is_representative=payload.is_representative,
        originals_seen=payload.originals_seen,
        note=payload.note,
    )
    return _done(request, application)


@router.post("/applications/{tracking_code}/cancel", response={200: s.ApplicationDetail, **ERRORS})
def application_cancel(request: HttpRequest, tracking_code: str, payload: s.ReasonIn) -> dict:
    application = application_get(request, tracking_code)
    cases.application_cancel(
        application=application, actor=request_user(request), reason=payload.reason, actor_label=""
    )
    return _done(request, application)
