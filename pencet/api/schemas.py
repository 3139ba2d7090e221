"""Request and response shapes of the REST API (they are also its OpenAPI document)."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from pencet.cases.models import DeliveryPreference, ReviewItem, Status

StatusCode = Literal[tuple(Status.values)]  # type: ignore[valid-type]
Verdict = Literal[tuple(ReviewItem.Verdict.values)]  # type: ignore[valid-type]
DeliveryChoice = Literal[tuple(DeliveryPreference.values)]  # type: ignore[valid-type]


# The deepest page a list answers (offset); far beyond any office's applications, well within SQL's integers.
MAX_OFFSET = 1_000_000


class ErrorOut(Schema):
    error: str = Field(description="Stable machine-readable code, e.g. wrong_status, forbidden, not_found.")
    message: str = Field(description="What went wrong, in Bahasa Indonesia, safe to show to an officer.")
    detail: Any = Field(None, description="Field-level problems for invalid input (ninja/pydantic shape).")


class RegionOut(Schema):
    code: str
    name: str


class ServiceOut(Schema):
    code: str
    name: str


class ApplicationSummary(Schema):
    tracking_code: str
    status: str
    status_label: str
    service: ServiceOut
    channel: str
    applicant_name: str
    nik: str = Field(description="Always masked in lists, e.g. 7307••••••••0042.")
    village: RegionOut | None
    priority_elderly: bool
    priority_disability: bool
    priority_flags: list[str] = Field(description="Why it goes first: lansia, disabilitas, batas_waktu.")
    claimed_by: str | None = Field(description="Username of the operator holding it in the forum.")
    created_at: datetime
    submitted_at: datetime | None
    status_changed_at: datetime | None
    due_at: datetime | None


# A search (q) counts its matches up to this many; more answer count = this and count_capped = true.
SEARCH_COUNT_MAX = 1000


class ApplicationPage(Schema):
    count: int = Field(
        description="How many applications match the filters in total; with a text search (q), at most "
        f"{SEARCH_COUNT_MAX:,} (see count_capped)."
    )
    count_capped: bool = Field(
        False,
        description=f"True when a text search (q) matches more than {SEARCH_COUNT_MAX:,} applications: `count` is "
        "then that bound, not the total. Page on with `offset` as usual; narrow the search to count them all.",
    )
    limit: int
    offset: int
    items: list[ApplicationSummary]


class AttachmentOut(Schema):
    id: int
    requirement: str | None = Field(description="Requirement code the file answers, if known.")
    content_type: str
    size: int
    sha256: str
    original_name: str
    quality: dict
    is_current: bool
    created_at: datetime


class ReviewItemOut(Schema):
    requirement: str
    requirement_name: str
    verdict: str
    reason: str
    reviewer: str | None
    resolved: bool
    created_at: datetime


class EventOut(Schema):
    kind: str
    actor: str = Field(description="Username of the officer, or 'warga'/'sistem'/'bot'.")
    from_status: str
    to_status: str
    note: str
    data: dict
    created_at: datetime


class OutputOut(Schema):
    id: int
    filename: str
    size: int
    sha256: str
    signature_status: Literal["valid", "invalid", "unsigned"] = Field(
        description="The PDF signature checked against the office's trust roots (BSrE in production)."
    )
    signature_summary: str = Field(description="Signer, time and any problem, in Bahasa Indonesia.")
    is_specimen: bool = Field(description="A demo office's specimen, not an official document.")
    component: int | None = Field(None, description="The bundle document (`components[].id`) this PDF is.")
    created_at: datetime


class ComponentOut(Schema):
    id: int
    service: ServiceOut
    state: Literal["siak", "verification", "signature", "ready", "done"]
    state_label: str
    siak_reference: str
    verified_by: str | None
    verified_at: datetime | None
    signed_by: str | None
    signed_at: datetime | None
    actions: list[str] = Field(
        description="What your account may do with this document now, as the console offers: component_siak, "
        "component_approve, component_sign, component_pick_up, output_add, output_specimen."
    )


class ApplicationDetail(ApplicationSummary):
    nik_masked: bool = Field(description="True when `nik` and `kk_number` are masked for your role.")
    kk_number: str
    phone: str
    email: str
    delivery_preference: str
    event_date: date | None
    subject: dict[str, str] = Field(
        description="The person the document is for (the child, the deceased), by the service's `subject_fields` "
        "codes; dates as YYYY-MM-DD, sex L/P; their NIK masked like `nik`."
    )
    note: str
    submitted_by: str | None
    claimed_at: datetime | None
    siak_reference: str
    siak_note: str
    close_reason: str
    closed_at: datetime | None
    actions: list[str] = Field(
        description=(
            "What your account may do now, exactly the console's controls: accept, return, reject, cancel, claim, "
            "release, take_over, complete_siak, approve, send_back, sign, deliver, pick_up, output_add, "
            "output_remove, output_specimen (demo offices), message."
        )
    )
    outputs: list[OutputOut] = Field(description="The output documents attached for the applicant.")
    components: list[ComponentOut] = Field(
        [],
        description="A bundle's documents (One Three, the death bundle), each taken through SIAK, verification and "
        "signature on its own (`/components/{id}/...`); empty for a single service. For a bundle, complete_siak, "
        "approve and sign are made per document.",
    )
    attachments: list[AttachmentOut]
    review_items: list[ReviewItemOut]
    events: list[EventOut]


class DeliveryOut(Schema):
    id: int
    channel: str
    status: str


class DeliverOut(Schema):
    application: ApplicationDetail
    deliveries: list[DeliveryOut]


class ApplicationFilters(Schema):
    status: list[StatusCode] | None = Field(None, description="One or more statuses (repeat the parameter).")
    service: str | None = Field(None, max_length=60, description="Service code, e.g. akta-kelahiran.")
    channel: str | None = Field(None, max_length=20)
    village: str | None = Field(None, max_length=20, description="Kemendagri village code, e.g. 73.07.07.2007.")
    q: str | None = Field(None, max_length=100, description="Tracking code, NIK, applicant name or phone number.")
    submitted_from: date | None = None
    submitted_to: date | None = None
    overdue: bool | None = Field(None, description="The service's due moment has passed (still in the office's hands).")
    due_soon: bool | None = Field(None, description="The service falls due within the next hour.")
    limit: int = Field(50, ge=1, le=200)
    # Bounded: a database refuses an OFFSET beyond its integer type, and nobody pages that far.
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class DecisionIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="The head of office's decision, on record.")


class ReviewItemIn(Schema):
    requirement: str = Field(..., description="Requirement code of the application's service.")
    verdict: Verdict
    reason: str = Field("", max_length=255)


class ReturnIn(Schema):
    items: list[ReviewItemIn] = Field(..., min_length=1)
    note: str = Field("", max_length=2000)


class TakeOverIn(Schema):
    operator: str = Field(..., min_length=1, description="Username of the operator who takes it over.")
    note: str = Field("", max_length=2000)


class CompleteSiakIn(Schema):
    siak_reference: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=2000)


_PASSPHRASE = (
    "The signer's passphrase: the password of the token's own account, typed again for this signature (TTE). "
    "Missing: 422 `passphrase_required`; wrong: 403 `passphrase_wrong`; after five wrong ones in a row signing is "
    "locked for 15 minutes: 429 `passphrase_locked`. Nothing is signed in any of these cases."
)
_DOCUMENTS = (
    "Optional: the sha256 of every output PDF the signer reviewed (`outputs[].sha256` of the detail). When given, "
    "a document added, removed or replaced since then refuses the signature (409 `documents_changed`)."
)


class SignIn(Schema):
    passphrase: str = Field("", max_length=256, description=_PASSPHRASE)
    documents: list[str] | None = Field(None, max_length=50, description=_DOCUMENTS)


class SignManyIn(Schema):
    codes: list[str] = Field(..., min_length=1, max_length=200, description="Tracking codes; all or none are signed.")
    passphrase: str = Field("", max_length=256, description=_PASSPHRASE)
    documents: dict[str, list[str]] | None = Field(
        None, description="Optional: tracking code → the sha256 of its output PDFs, as for a single signature."
    )


class DeliverIn(Schema):
    override_reason: str = Field(
        "", max_length=2000, description="Required by the delivery service to send an unsigned or invalid PDF."
    )


class PickUpIn(Schema):
    collected_by: str = Field(..., min_length=1, max_length=150)
    is_representative: bool = False
    originals_seen: list[str] = Field(default_factory=list, description="Requirement codes whose originals were seen.")
    note: str = Field("", max_length=2000)


class ApplicationIn(Schema):
    service: str = Field(..., description="Service code, e.g. akta-kelahiran.")
    channel: Literal["staff_intake", "walk_in"] = Field(
        "staff_intake", description="Village staff always register with channel aparat_desa."
    )
    applicant_name: str = Field(..., min_length=1, max_length=150)
    nik: str = Field(..., min_length=1, max_length=30)
    kk_number: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    village: str = Field(..., description="Kemendagri village code in the office's regency, e.g. 73.07.07.2007.")
    priority_elderly: bool = False
    priority_disability: bool = False
    delivery_preference: DeliveryChoice = DeliveryPreference.PICKUP.value
    event_date: date | None = None
    subject: dict[str, str] = Field(
        default_factory=dict,
        description="Subject data by code (child_name, child_sex L/P, child_birth_date YYYY-MM-DD, "
        "child_birth_place, father_name, mother_name, deceased_name, deceased_nik, death_date, death_place); "
        "only the codes the service asks for.",
    )
    note: str = Field("", max_length=2000)
    office: str | None = Field(None, description="Office code; only for a superuser who belongs to no office.")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as exc:
                raise ValueError("alamat e-mail tidak valid") from exc
        return value


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=4000, description="Text to the applicant's WhatsApp.")


class MessageOut(Schema):
    id: int
    status: str = Field(description="The outbox status: queued, sent, delivered, read, failed…")
    window_open: bool = Field(
        description="True: sent as free text; false: outside WhatsApp's 24-hour window, sent as the "
        "officer_message template carrying the text."
    )


class AttachmentOut(Schema):
    id: int
    requirement: str | None
    content_type: str
    size: int
    sha256: str
    original_name: str


class CorrectionIn(Schema):
    """Only the fields given change; each change is on the timeline as old → new (`details_corrected`)."""

    reason: str = Field(..., min_length=1, max_length=500, description="Why the data is corrected (on the timeline).")
    applicant_name: str | None = Field(None, min_length=1, max_length=150)
    nik: str | None = Field(None, max_length=30)
    kk_number: str | None = Field(None, max_length=30)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    village: str | None = Field(None, description="Kemendagri village code in the office's regency.")
    event_date: date | None = None
    subject: dict[str, str] | None = Field(None, description="Subject data by code, as for a registration.")
