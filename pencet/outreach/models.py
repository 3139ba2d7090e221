"""Sinjai's programmes outside the counter: service days in villages and schools (Laki Keren, Pelangi Warga), the
office's own desks for in-person steps, bookings of their hourly slots, Sayang Dilan home visits, and announcements
to the contacts who opted in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    SAYANG_DILAN = "sayang_dilan", _("Sayang Dilan (lansia dan disabilitas)")
    LAKI_KEREN = "laki_keren", _("Laki Keren dari desa ke desa (akta kelahiran)")
    PELANGI_WARGA = "pelangi_warga", _("Pelangi Warga (perekaman KTP-el di desa dan sekolah)")
    ONE_THREE = "one_three", _("One Three (akta, KK dan KIA sekaligus)")


class ServiceDay(models.Model):
    """One outreach day at a village office or a school: where, when, what is offered and how many per hour."""

    class PlaceKind(models.TextChoices):
        VILLAGE_OFFICE = "village_office", _("Kantor desa/kelurahan")
        SCHOOL = "school", _("Sekolah")
        OTHER = "other", _("Tempat lain")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="service_days")
    programme = models.CharField(_("program"), max_length=20, choices=Programme.choices)
    place = models.CharField(_("tempat"), max_length=150)
    place_kind = models.CharField(_("jenis tempat"), max_length=20, choices=PlaceKind.choices)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="service_days", verbose_name=_("desa/kelurahan")
    )
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    services = models.ManyToManyField("catalog.Service", related_name="service_days", verbose_name=_("layanan"))
    capacity_per_hour = models.PositiveSmallIntegerField(_("kapasitas per jam"), default=10)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["office", "date"], name="outreach_day_office_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="outreach_day_order")
        ]
        verbose_name = _("layanan keliling")
        verbose_name_plural = _("layanan keliling")

    def __str__(self) -> str:
        return f"{self.place} {self.date:%d-%m-%Y}"


class Desk(models.Model):
    """A desk at the office for a step that needs the citizen there (KTP-el recording, biometrics, the originals,
    a pickup), open in the office's hours, `capacity_per_hour` citizens an hour."""

    class Purpose(models.TextChoices):
        RECORDING = "recording", _("Perekaman KTP-el dan biometrik, cek dokumen asli")
        PICKUP = "pickup", _("Pengambilan dokumen")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="desks")
    name = models.CharField(_("nama"), max_length=100)
    purpose = models.CharField(_("keperluan"), max_length=12, choices=Purpose.choices)
    capacity_per_hour = models.PositiveSmallIntegerField(_("kapasitas per jam"), default=6)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["office", "purpose", "pk"]
        verbose_name = _("loket janji temu")
        verbose_name_plural = _("loket janji temu")

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """A citizen's hour at a service day or at an office desk."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Terjadwal")
        ATTENDED = "attended", _("Hadir")
        CANCELLED = "cancelled", _("Dibatalkan")
        # Did not come: the slot was released for others and the no-show counted.
        NO_SHOW = "no_show", _("Tidak hadir")

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="bookings")
    service_day = models.ForeignKey(
        ServiceDay, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings")
    # The start of the hour booked (the slot is one hour long).
    starts_at = models.DateTimeField(_("jam"))
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("layanan")
    )
    contact = models.ForeignKey(
        "whatsapp.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    name = models.CharField(_("nama"), max_length=150, blank=True)
    phone = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    # A pickup: the ready application; a service day: the application registered on the spot.
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    moves = models.PositiveSmallIntegerField(_("dipindah"), default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="outreach_booking_due"),
            models.Index(fields=["service_day", "starts_at"], name="outreach_booking_day"),
            models.Index(fields=["desk", "starts_at"], name="outreach_booking_desk"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_day__isnull=True) ^ models.Q(desk__isnull=True),
                name="outreach_booking_one_place",
            )
        ]
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")

    def __str__(self) -> str:
        return f"{self.name or self.phone} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def place(self) -> str:
        return self.service_day.place if self.service_day_id else self.desk.name


class HomeVisit(models.Model):
    """Sayang Dilan: officers go to the citizen (elderly, disabled) to do the in-person step at home."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        DONE = "done", _("Terlaksana")
        FAILED = "failed", _("Tidak terlaksana")
        CANCELLED = "cancelled", _("Dibatalkan")

    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="home_visits")
    planned_for = models.DateTimeField(_("waktu kunjungan"))
    officers = models.ManyToManyField("accounts.User", related_name="home_visits", verbose_name=_("petugas"))
    address = models.TextField(_("alamat"))
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    bring = models.TextField(_("yang dibawa"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("hasil kunjungan"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_for", "pk"]
        verbose_name = _("kunjungan rumah")
        verbose_name_plural = _("kunjungan rumah")

    def __str__(self) -> str:
        return f"{self.application} {self.planned_for:%Y-%m-%d %H:%M}"

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.google.com/maps?q={self.latitude:.6f},{self.longitude:.6f}"


class Subscription(models.Model):
    """A contact who asked to hear of a village's service days or of a programme; `berhenti` ends it."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="subscriptions")
    contact = models.ForeignKey("whatsapp.Contact", on_delete=models.CASCADE, related_name="subscriptions")
    village = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    programme = models.CharField(_("program"), max_length=20, choices=Programme.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "village", "programme"], name="outreach_subscription_once")
        ]
        verbose_name = _("langganan info")
        verbose_name_plural = _("langganan info")


class Announcement(models.Model):
    """A message to opted-in contacts of a village (and its district) or a programme, only as an approved template,
    sent within the office's daily allowance of business-initiated conversations; each recipient recorded."""

    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="announcements")
    template = models.ForeignKey("catalog.MessageTemplate", on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(_("parameter"), default=list)
    village = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Also the other villages of the village's district.
    nearby = models.BooleanField(_("termasuk desa sekitar"), default=True)
    programme = models.CharField(_("program"), max_length=20, choices=Programme.choices, blank=True)
    service_day = models.ForeignKey(
        ServiceDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements"
    )
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")


class AnnouncementRecipient(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("Menunggu kuota harian")
        QUEUED = "queued", _("Diantrekan")
        OPTED_OUT = "opted_out", _("Berhenti berlangganan")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey("whatsapp.Contact", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    message = models.ForeignKey(
        "whatsapp.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "contact"], name="outreach_recipient_once")]
        indexes = [models.Index(fields=["state", "announcement"], name="outreach_recipient_state")]
