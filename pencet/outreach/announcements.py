"""Announcements to the contacts who opted in (a village and its district, or a programme): only as an approved
(active) WhatsApp template, never to a contact who said `berhenti`, and within the office's daily allowance of
business-initiated conversations (Meta's messaging limit, PENCET_ANNOUNCEMENT_DAILY_LIMIT); whoever is over the
allowance waits for the next day's run. Every recipient is recorded with the outbound message."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.catalog.models import MessageTemplate, MetaStatus
from pencet.regions.models import Region
from pencet.whatsapp.models import Contact
from pencet.whatsapp.services import outbox_enqueue

from . import messages as m
from .bookings import BookingError
from .models import Announcement, AnnouncementRecipient, Programme, ServiceDay, Subscription
from .selectors import contact_villages, nearby_villages
from .sending import contact_language, send_text

STOP_WORDS = {"berhenti", "stop", "unsubscribe"}
# Typed as a whole message: follow the news of the village the office knows for the contact.
FOLLOW_WORDS = {"info desa", "langganan info", "ikuti info desa", "langganan info desa"}
ANNOUNCEMENT_EVENTS = (
    MessageTemplate.Event.SERVICE_DAY_ANNOUNCEMENT,
    MessageTemplate.Event.PROGRAMME_ANNOUNCEMENT,
)


@transaction.atomic
def subscription_follow(*, contact: Contact, village: Region | None = None, programme: str = "") -> Subscription:
    subscription, _created = Subscription.objects.get_or_create(
        office=contact.office, contact=contact, village=village, programme=programme
    )
    if subscription.opted_out_at is not None:
        subscription.opted_out_at = None
        subscription.save(update_fields=["opted_out_at"])
    with contact_language(contact):
        send_text(contact=contact, body=m.followed(village=village.name if village else programme))
    return subscription


def subscription_follow_word(*, contact: Contact, text: str) -> bool:
    """`info desa`: follow the village the office knows for the contact (or be told how it comes to know it)."""
    if " ".join(text.lower().split()).strip(".! ") not in FOLLOW_WORDS:
        return False
    villages = contact_villages(contact=contact)
    with transaction.atomic():
        if villages:
            subscription_follow(contact=contact, village=villages[0])
        else:
            with contact_language(contact):
                send_text(contact=contact, body=m.follow_unknown_village())
    return True


def subscription_stop_word(*, contact: Contact, text: str) -> bool:
    """`berhenti` from a contact who follows anything ends every subscription; True when it was that."""
    if " ".join(text.lower().split()).strip(".! ") not in STOP_WORDS:
        return False
    active = Subscription.objects.filter(contact=contact, opted_out_at__isnull=True)
    if not active.exists():
        return False
    with transaction.atomic():
        active.update(opted_out_at=timezone.now())
        with contact_language(contact):
            send_text(contact=contact, body=m.opted_out())
    return True


def _template(*, office: Office, event: str) -> MessageTemplate:
    templates = MessageTemplate.objects.filter(event=event, is_active=True)
    template = templates.filter(office=office).first() or templates.filter(office__isnull=True).first()
    if template is None:
        raise BookingError(_("Belum ada template WhatsApp yang disetujui untuk pengumuman ini."))
    return template


def template_refusal(*, template: MessageTemplate) -> str:
    """Why `template` may not carry an announcement now ("" when it may): Meta's own status, read by the last sync
    (pencet.whatsapp.templates_sync), must be APPROVED; nobody here can approve it."""
    if template.meta_status == MetaStatus.APPROVED:
        return ""
    if not template.meta_status:
        return _(
            "Template %(name)s belum tercatat disetujui Meta. Sinkronkan status template dari Meta (menu Layanan "
            "keliling › Sinkronkan template), atau ajukan template itu di WhatsApp Manager dan tunggu persetujuan."
        ) % {"name": template.name}
    return _(
        "Template %(name)s tidak dapat dipakai: status di Meta '%(status)s', bukan 'Disetujui'. Pengumuman hanya "
        "dikirim dengan template yang disetujui Meta."
    ) % {"name": template.name, "status": template.get_meta_status_display()}


def announcement_audience(*, announcement: Announcement):
    """The contacts who opted in for the village (and its district) or the programme, and not out since."""
    subscriptions = Subscription.objects.filter(office=announcement.office, opted_out_at__isnull=True)
    condition = Q()
    if announcement.village_id:
        villages = nearby_villages(village=announcement.village) if announcement.nearby else [announcement.village]
        condition |= Q(village__in=villages)
    if announcement.programme:
        condition |= Q(programme=announcement.programme)
    return Contact.objects.filter(pk__in=subscriptions.filter(condition).values("contact_id")).order_by("pk")


@transaction.atomic
def announcement_create(
    *,
    office: Office,
    actor: User | None,
    template: MessageTemplate,
    params: list[str],
    village: Region | None = None,
    nearby: bool = True,
    programme: str = "",
    service_day: ServiceDay | None = None,
) -> Announcement:
    """Record the announcement and its recipients, then send what today's allowance permits."""
    if not template.is_active or template.event not in ANNOUNCEMENT_EVENTS:
        raise BookingError(_("Pengumuman hanya dapat dikirim dengan template yang disetujui untuk pengumuman."))
    if template.office_id not in (None, office.pk):
        raise BookingError(_("Template ini milik kantor lain."))
    refusal = template_refusal(template=template)
    if refusal:
        raise BookingError(refusal)
    if village is None and not programme:
        raise BookingError(_("Pilih desa atau program penerima pengumuman."))
    announcement = Announcement.objects.create(
        office=office,
        template=template,
        params=[str(p) for p in params],
        village=village,
        nearby=nearby,
        programme=programme,
        service_day=service_day,
        created_by=actor,
    )
    AnnouncementRecipient.objects.bulk_create(
        AnnouncementRecipient(announcement=announcement, contact=c)
        for c in announcement_audience(announcement=announcement)
    )
    transaction.on_commit(lambda: announcements_send(office=office))
    return announcement


def service_day_announce(*, service_day: ServiceDay, actor: User | None) -> Announcement:
    """Tell the village's and its district's followers (and the programme's) of a service day."""
    office = service_day.office
    services = ", ".join(s.short_name for s in service_day.services.all())
    when = (
        f"{formats.date_format(service_day.date, 'l, j F Y')} {service_day.starts_at:%H.%M}–{service_day.ends_at:%H.%M}"
    )
    return announcement_create(
        office=office,
        actor=actor,
        template=_template(office=office, event=MessageTemplate.Event.SERVICE_DAY_ANNOUNCEMENT),
        params=[
            str(Programme(service_day.programme).label).split(" (")[0],
            f"{service_day.place}, {service_day.village.name}",
            when,
            services,
        ],
        village=service_day.village,
        programme=service_day.programme,
        service_day=service_day,
    )


def _sent_today(*, office: Office) -> int:
    since = timezone.now() - timedelta(hours=24)
    return AnnouncementRecipient.objects.filter(
        announcement__office=office, state=AnnouncementRecipient.State.QUEUED, queued_at__gte=since
    ).count()


def announcements_send(*, office: Office | None = None) -> int:
    """Queue waiting recipients as templates, oldest announcement first, within each office's 24-hour allowance;
    opted-out contacts are skipped and recorded as such. Returns how many were queued."""
    queued = 0
    offices = [office] if office else Office.objects.filter(announcements__recipients__state="waiting").distinct()
    for each in offices:
        room = settings.PENCET_ANNOUNCEMENT_DAILY_LIMIT - _sent_today(office=each)
        waiting = AnnouncementRecipient.objects.filter(
            announcement__office=each, state=AnnouncementRecipient.State.WAITING
        ).select_related("announcement__template", "contact")
        for recipient in waiting.order_by("announcement_id", "pk"):
            with transaction.atomic():
                if not Subscription.objects.filter(contact=recipient.contact, opted_out_at__isnull=True).exists():
                    recipient.state = AnnouncementRecipient.State.OPTED_OUT
                    recipient.save(update_fields=["state"])
                    continue
                if room <= 0:
                    break
                template = recipient.announcement.template
                if template.meta_status != MetaStatus.APPROVED:
                    # Meta paused or rejected it since: the recipients wait until it is approved again.
                    continue
                params = recipient.announcement.params
                recipient.message = outbox_enqueue(
                    contact=recipient.contact,
                    kind="template",
                    payload={"name": template.name, "language": template.language, "params": params},
                    preview=template.body_preview,
                )
                recipient.state = AnnouncementRecipient.State.QUEUED
                recipient.queued_at = timezone.now()
                recipient.save(update_fields=["message", "state", "queued_at"])
                room -= 1
                queued += 1
        if not waiting.exists():
            Announcement.objects.filter(office=each, finished_at__isnull=True).update(finished_at=timezone.now())
    return queued


def programme_announce(
    *, office: Office, actor: User | None, programme: str, message: str, village: Region | None = None
) -> Announcement:
    """A programme's news to its followers (and, if given, the village's and its district's)."""
    if not message.strip():
        raise BookingError(_("Tulis isi pengumuman."))
    return announcement_create(
        office=office,
        actor=actor,
        template=_template(office=office, event=MessageTemplate.Event.PROGRAMME_ANNOUNCEMENT),
        params=[str(Programme(programme).label).split(" (")[0], " ".join(message.split())],
        village=village,
        programme=programme,
    )
