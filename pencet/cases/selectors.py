"""Reads of applications, always scoped to what the user may see."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pencet.accounts.models import Role, User

from .models import Application, Status


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """Every application the user may read: their office's, or only their villages' for village staff."""
    qs = Application.objects.select_related("service", "village", "office", "claimed_by")
    if user.is_superuser and user.office_id is None:
        return qs
    if not user.is_authenticated or not user.roles:
        return qs.none()
    qs = qs.filter(office_id=user.office_id)
    if user.roles == {Role.VILLAGE_STAFF}:
        qs = qs.filter(Q(village__in=user.villages.all()))
    return qs


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    statuses: tuple[str, ...]
    roles: tuple[str, ...]
    mine: bool = False


QUEUES: tuple[Queue, ...] = (
    Queue("submitted", _("Menunggu pemeriksaan"), (Status.SUBMITTED,), (Role.SERVICE_OFFICER, Role.ADMIN)),
    Queue(
        "returned",
        _("Menunggu pemohon"),
        (Status.RETURNED,),
        (Role.SERVICE_OFFICER, Role.VILLAGE_STAFF, Role.ADMIN),
    ),
    Queue("accepted", _("Forum: menunggu operator"), (Status.ACCEPTED,), (Role.OPERATOR, Role.ADMIN)),
    Queue("in_process_mine", _("Sedang saya proses"), (Status.IN_PROCESS,), (Role.OPERATOR,), mine=True),
    Queue("in_process", _("Diproses di SIAK"), (Status.IN_PROCESS,), (Role.OPERATOR, Role.ADMIN)),
    Queue(
        "awaiting_verification",
        _("Menunggu verifikasi"),
        (Status.AWAITING_VERIFICATION,),
        (Role.VERIFIER, Role.ADMIN),
    ),
    Queue(
        "awaiting_signature",
        _("Menunggu tanda tangan"),
        (Status.AWAITING_SIGNATURE,),
        (Role.SIGNER, Role.ADMIN),
    ),
    Queue(
        "ready",
        _("Siap dikirim/diambil"),
        (Status.READY,),
        (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VILLAGE_STAFF, Role.ADMIN),
    ),
)


def queues_for_user(*, user: User) -> list[Queue]:
    if user.has_role(Role.LEADERSHIP) and not user.has_role(Role.ADMIN):
        return [q for q in QUEUES if not q.mine]
    return [q for q in QUEUES if user.has_role(*q.roles)]


def queue_applications(*, user: User, queue: Queue) -> QuerySet[Application]:
    qs = application_list_for_user(user=user).filter(status__in=queue.statuses)
    if queue.mine:
        qs = qs.filter(claimed_by=user)
    return qs


def queue_counts_for_user(*, user: User) -> list[tuple[Queue, int]]:
    return [(q, queue_applications(user=user, queue=q).count()) for q in queues_for_user(user=user)]
