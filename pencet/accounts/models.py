import hashlib
import secrets
from datetime import time

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SERVICE_OFFICER = "petugas_layanan", _("Petugas layanan")
    OPERATOR = "operator_siak", _("Operator SIAK")
    VERIFIER = "verifikator", _("Verifikator SIAK")
    SIGNER = "penandatangan", _("Penandatangan (Kepala Dinas)")
    LEADERSHIP = "pimpinan", _("Pimpinan")
    VILLAGE_STAFF = "aparat_desa", _("Aparat desa/kelurahan")
    ADMIN = "admin", _("Admin")


class Office(models.Model):
    """One Disdukcapil office of a regency or city."""

    name = models.CharField(_("nama"), max_length=200)
    # Prefix of the tracking codes, e.g. SNJ → SNJ-2611-0042.
    code = models.CharField(_("kode kantor"), max_length=6, unique=True)
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="offices", verbose_name=_("kabupaten/kota")
    )
    whatsapp_phone_number_id = models.CharField(
        _("WhatsApp phone number id"), max_length=32, blank=True, null=True, unique=True
    )
    whatsapp_display_number = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    email_sender = models.EmailField(_("pengirim e-mail"), blank=True)
    time_zone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Makassar")
    opens_at = models.TimeField(_("jam buka"), default=time(8, 0))
    closes_at = models.TimeField(_("jam tutup"), default=time(16, 0))
    # ISO weekdays the office works, 1 = Monday. Used only while the office has no OpeningHours rows.
    working_days = models.CharField(_("hari kerja"), max_length=20, default="1,2,3,4,5")
    # "Sehari jadi": a complete application submitted before this time is due the same working day…
    cutoff_time = models.TimeField(_("batas jam pengajuan sehari jadi"), default=time(14, 0))
    # …otherwise by this hour of the next working day.
    next_day_hour = models.TimeField(_("jam selesai hari kerja berikutnya"), default=time(12, 0))
    # Overdue stages alert on-duty staff in the console; by e-mail too when the office wants it.
    overdue_email_alerts = models.BooleanField(_("kirim peringatan keterlambatan lewat e-mail"), default=False)
    # PEM certificates the office trusts for signed output (BSrE roots in production).
    trust_roots_pem = models.TextField(_("sertifikat akar tepercaya (PEM)"), blank=True)
    is_demo = models.BooleanField(_("kantor demo"), default=False)

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")

    def __str__(self) -> str:
        return self.name

    @property
    def working_weekdays(self) -> set[int]:
        return {int(d) for d in self.working_days.split(",") if d.strip()}


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Senin")
    TUESDAY = 2, _("Selasa")
    WEDNESDAY = 3, _("Rabu")
    THURSDAY = 4, _("Kamis")
    FRIDAY = 5, _("Jumat")
    SATURDAY = 6, _("Sabtu")
    SUNDAY = 7, _("Minggu")


class OpeningHours(models.Model):
    """The office's hours on one weekday, in its own time zone. A weekday without a row is closed."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens_at = models.TimeField(_("jam buka"))
    closes_at = models.TimeField(_("jam tutup"))

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="opening_hours_one_per_weekday"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="opening_hours_order"),
        ]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class DayOff(models.Model):
    """An office-defined day off on top of the national holidays (cuti bersama, local events)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="days_off")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)

    class Meta:
        unique_together = [("office", "date")]
        ordering = ["date"]
        verbose_name = _("hari libur kantor")
        verbose_name_plural = _("hari libur kantor")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RoleGrant(models.Model):
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "role")]
        verbose_name = _("peran")
        verbose_name_plural = _("peran")

    def __str__(self) -> str:
        return self.get_role_display()


class User(AbstractUser):
    """A staff member of one office. Citizens are WhatsApp contacts, not users."""

    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("kantor"),
    )
    # Village staff (aparat desa) act only for these villages.
    villages = models.ManyToManyField(
        "regions.Region", blank=True, related_name="village_staff", verbose_name=_("desa/kelurahan")
    )
    # The WhatsApp number (E.164 digits, e.g. 6281234567890) a village staff member applies from.
    whatsapp_number = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True, db_index=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    # Leadership above the regency offices (pimpinan without an office): a province's Disdukcapil reads the reports of
    # every office whose regency lies in this region (e.g. province 73, Sulawesi Selatan); the Directorate General
    # reads every office (report_national). Set by the operators' superuser only, never by an office admin.
    report_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_viewers",
        verbose_name=_("wilayah laporan (provinsi)"),
    )
    report_national = models.BooleanField(_("laporan nasional (Ditjen Dukcapil)"), default=False)
    # Wrong signing passphrases in a row (pencet.cases.signature); too many lock signing for a while, so a leaked
    # API token or an unattended session cannot be used to guess the head of office's password.
    passphrase_failures = models.PositiveSmallIntegerField(_("passphrase salah berturut-turut"), default=0)
    passphrase_locked_until = models.DateTimeField(_("tanda tangan dikunci sampai"), null=True, blank=True)
    # Overdue alerts go to the on-duty staff of the stage's role; someone on leave switches this off.
    on_duty = models.BooleanField(_("sedang bertugas"), default=True)
    # Opt-in per person, on top of the office's choice to send alerts by e-mail.
    overdue_alert_email = models.BooleanField(_("terima peringatan keterlambatan lewat e-mail"), default=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")

    @property
    def roles(self) -> set[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "pct_" + secrets.token_urlsafe(32)
