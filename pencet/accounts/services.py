from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from pencet.catalog.models import MessageTemplate
from pencet.catalog.services import catalog_seed
from pencet.regions.models import Region
from pencet.regions.services import region_import

from .models import ApiToken, Office, OpeningHours, Role, RoleGrant, User


@transaction.atomic
def user_create(
    *,
    username: str,
    office: Office | None,
    roles: Iterable[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    villages: Iterable[object] = (),
    whatsapp_number: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        office=office,
        first_name=first_name,
        last_name=last_name,
        email=email,
        whatsapp_number=whatsapp_number,
        is_staff=is_superuser or "admin" in set(roles),
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    # A new user has no grants yet: user_roles_set's delete and read would only cost two queries (and a
    # savepoint) for every account made, which every test's personas are.
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(set(roles))])
    if villages:
        user.villages.set(villages)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    user.role_grants.exclude(role__in=wanted).delete()
    have = set(user.role_grants.values_list("role", flat=True))
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(wanted - have)])
    user.__dict__.pop("_roles_cache", None)


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token; the plain key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return token, key


# Writing last_used_at on every call would turn each API read into a database write; a minute is precise enough.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for a presented key, with last_used_at recorded; None if unknown, revoked or the user inactive."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; ApiToken.DoesNotExist for another user's token or an unknown id."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


DEMO_OFFICE_CODE = "SNJ"
DEMO_VILLAGE_CODE = "73.07.07.2007"  # Bonto Katute, Sinjai Borong
DEMO_VILLAGE_WHATSAPP = "6281355500007"

# The utility templates the demo office "has approved" at Meta, one per event that may fall outside the 24-hour window.
DEMO_TEMPLATES: tuple[tuple[str, list[str], str], ...] = (
    (
        "status_update",
        ["nama", "kode", "status"],
        "Halo {{1}}, status permohonan {{2}} sekarang: {{3}}. Balas pesan ini untuk melihat rinciannya.",
    ),
    (
        "missing_items",
        ["nama", "kode", "kekurangan"],
        "Halo {{1}}, permohonan {{2}} belum lengkap: {{3}}. Silakan kirim berkas yang kurang melalui WhatsApp ini.",
    ),
    (
        "document_ready",
        ["nama", "kode", "dokumen"],
        "Halo {{1}}, {{3}} untuk permohonan {{2}} sudah selesai. Balas pesan ini untuk memilih cara penyerahan.",
    ),
    (
        "survey_invitation",
        ["nama", "kode"],
        "Halo {{1}}, terima kasih telah menggunakan layanan Disdukcapil (permohonan {{2}}). "
        "Mohon bantu kami dengan mengisi survei kepuasan singkat: balas pesan ini.",
    ),
    (
        "officer_message",
        ["nama", "kode", "pesan"],
        "Halo {{1}}, pesan petugas tentang permohonan {{2}}: {{3}}",
    ),
    (
        "draft_expired",
        ["nama", "kode"],
        "Halo {{1}}, draf permohonan {{2}} sudah kedaluwarsa karena belum dilengkapi. "
        "Kirim pesan kapan saja untuk memulai lagi.",
    ),
    (
        "appointment_reminder",
        ["nama", "layanan", "tempat", "waktu"],
        "Halo {{1}}, pengingat janji temu {{2}} di {{3}} pada {{4}}. Balas pesan ini untuk membatalkan atau "
        "memindah jadwal.",
    ),
    (
        "home_visit",
        ["nama", "waktu", "alamat", "bawa"],
        "Halo {{1}}, petugas Disdukcapil akan berkunjung ke rumah Anda pada {{2}} di {{3}}. Mohon siapkan: {{4}}.",
    ),
    (
        "service_day_announcement",
        ["program", "tempat", "tanggal", "layanan"],
        "Info {{1}}: layanan Disdukcapil di {{2}} pada {{3}} ({{4}}). Balas pesan ini untuk memesan jam. "
        "Balas BERHENTI bila tidak ingin menerima info lagi.",
    ),
    (
        "programme_announcement",
        ["program", "pesan"],
        "Info {{1}} dari Disdukcapil: {{2}} Balas BERHENTI bila tidak ingin menerima info lagi.",
    ),
)


# The usual Disdukcapil week (REFERENCE: Mon–Thu 08:00–16:00, Fri 08:00–16:30).
DEFAULT_OPENING_HOURS = {1: ("08:00", "16:00"), 2: ("08:00", "16:00"), 3: ("08:00", "16:00"), 4: ("08:00", "16:00")}
DEFAULT_OPENING_HOURS[5] = ("08:00", "16:30")


def office_hours_seed(*, office: Office) -> None:
    """Opening hours per weekday where the office has none yet; an office's own edits are kept."""
    if office.opening_hours.exists():
        return
    OpeningHours.objects.bulk_create(
        OpeningHours(office=office, weekday=day, opens_at=opens, closes_at=closes)
        for day, (opens, closes) in DEFAULT_OPENING_HOURS.items()
    )


@transaction.atomic
def demo_office_seed(*, password: str | None = None) -> Office:
    """The demo office (Disdukcapil Kabupaten Sinjai), one user per role and its WhatsApp templates.

    Idempotent: run it again and nothing is duplicated; the demo password is reset every time so the
    password printed at start always works.
    """
    if not Region.objects.filter(code=DEMO_VILLAGE_CODE).exists():
        region_import(prefix="73.07")
    catalog_seed()
    office, _created = Office.objects.update_or_create(
        code=DEMO_OFFICE_CODE,
        defaults={
            "name": "Disdukcapil Kabupaten Sinjai",
            "regency_id": "73.07",
            "whatsapp_phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID or "100000000000001",
            "whatsapp_display_number": "+62 811-4100-7307",
            "address": "Jl. Persatuan Raya, Sinjai, Sulawesi Selatan",
            "email_sender": "disdukcapil@sinjaikab.go.id",
            "time_zone": "Asia/Makassar",
            "opens_at": "08:00",
            "closes_at": "16:00",
            "working_days": "1,2,3,4,5",
            "is_demo": True,
        },
    )
    office_hours_seed(office=office)
    password = password or settings.PENCET_DEMO_PASSWORD
    village = Region.objects.get(code=DEMO_VILLAGE_CODE)
    for role in Role:
        user = User.objects.filter(username=role.value).first()
        if user is None:
            user = user_create(username=role.value, office=office, roles=[role.value])
        user.office = office
        user.first_name = str(role.label)
        user.is_active = True
        # The demo admin is an office admin (the Django admin scoped to Sinjai), never a superuser: operators
        # create theirs with `pencet createsuperuser`.
        user.is_staff = role == Role.ADMIN
        user.is_superuser = False
        user.whatsapp_number = DEMO_VILLAGE_WHATSAPP if role == Role.VILLAGE_STAFF else ""
        # Overdue alerts and the head of office's morning digest need somewhere to go.
        user.email = user.email or f"{role.value}@demo.pencet.local"
        user.set_password(password)
        user.save()
        user_roles_set(user=user, roles=[role.value])
        if role == Role.VILLAGE_STAFF:
            user.villages.set([village])
    office_templates_seed(office=office)
    return office


def office_templates_seed(*, office: Office) -> int:
    """The office's WhatsApp utility templates (the texts to submit at Meta), created or refreshed; returns how many."""
    for event, parameters, body in DEMO_TEMPLATES:
        MessageTemplate.objects.update_or_create(
            office=office,
            name=f"pencet_{event}",
            language="id",
            defaults={
                "event": event,
                "category": MessageTemplate.Category.UTILITY,
                "body_parameters": parameters,
                "body_preview": body,
                "is_active": True,
            },
        )
    return len(DEMO_TEMPLATES)


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's not-yet-confirmed authenticator, created on first use so the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Pencet", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code the authenticator app shows; False when the code is wrong."""
    if not otp_verify_token(device.user, device.persistent_id, token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_token_match(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, if any (each device throttles its own failures)."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if otp_verify_token(user, device.persistent_id, token.strip()):
            return device
    return None
