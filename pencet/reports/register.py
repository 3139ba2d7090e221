"""The office's daily register ("buku register"): every application received on one day, in order of arrival."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from pencet.accounts.models import Role, User
from pencet.cases.models import Application, Channel, Status
from pencet.cases.selectors import application_list_for_user
from pencet.lib.nik import nik_mask

from .selectors import REPORT_ROLES
from .services import office_day_bounds, office_zone

# The front office keeps the register; leadership, the head of office and admins read it too.
REGISTER_ROLES = (*REPORT_ROLES, Role.SERVICE_OFFICER)


REGISTER_FIELDS = (
    "submitted_at",
    "tracking_code",
    "applicant_name",
    "nik",
    "channel",
    "status",
    "service__name",
    "village__name",
)


@dataclass(frozen=True)
class RegisterLine:
    number: int
    submitted_at: datetime
    tracking_code: str
    applicant_name: str
    nik: str
    service: str
    channel: str
    village: str
    status: str


def register_allowed(*, user: User) -> bool:
    return user.is_authenticated and bool(user.office_id) and user.has_role(*REGISTER_ROLES)


def register_lines(*, user: User, day: date) -> list[RegisterLine]:
    """The user's office's applications submitted on `day` (its local date); the NIK masked as on the queues."""
    office = user.office
    start, end = office_day_bounds(office=office, day=day)
    applications: list[Application] = list(
        application_list_for_user(user=user)
        .filter(office=office, submitted_at__gte=start, submitted_at__lt=end)
        .order_by("submitted_at", "pk")
        # The columns a line shows: a busy day has 800 applications, each otherwise read whole with its office
        # and claimant.
        .select_related(None)
        .select_related("service", "village")
        .only(*REGISTER_FIELDS)
    )
    zone = office_zone(office=office)
    return [
        RegisterLine(
            number=number,
            submitted_at=timezone.localtime(a.submitted_at, zone),
            tracking_code=a.tracking_code,
            applicant_name=a.applicant_name,
            nik=nik_mask(a.nik),
            service=a.service.name,
            # The enums' labels, as the API and the console's tags read them: get_FOO_display() rebuilds and hashes
            # the field's whole list of lazy labels on every row (two thirds of the page for a day of 800).
            channel=str(Channel(a.channel).label),
            village=a.village.name if a.village else "",
            status=str(Status(a.status).label),
        )
        for number, a in enumerate(applications, start=1)
    ]
