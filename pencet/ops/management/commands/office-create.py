import secrets
from datetime import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pencet.ops.services import OfficeCreateError, office_create


def _time(value: str) -> time:
    hours, _sep, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


class Command(BaseCommand):
    help = _(
        "Membuat kantor Disdukcapil baru: wilayahnya, katalog layanan, template WhatsApp, cuti bersama dan admin "
        "pertamanya."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regency", required=True, help=_("Kode Kemendagri kabupaten/kota, mis. 73.07"))
        parser.add_argument("--name", required=True, help=_("mis. 'Disdukcapil Kabupaten Sinjai'"))
        parser.add_argument("--code", required=True, help=_("Awalan kode lacak, maks. 6 huruf, mis. SNJ"))
        parser.add_argument("--phone-number-id", default="", help=_("Phone number ID dari WhatsApp › API Setup"))
        parser.add_argument("--display-number", default="", help=_("Nomor WhatsApp yang dilihat warga"))
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", default="", help=_("Bawaan: dibuat acak dan dicetak sekali"))
        parser.add_argument("--address", default="")
        parser.add_argument("--email-sender", default="")
        parser.add_argument("--time-zone", default="", help=_("Bawaan: dari provinsi (WIB/WITA/WIT)"))
        parser.add_argument("--opens-at", type=_time, default=time(8, 0))
        parser.add_argument("--closes-at", type=_time, default=time(16, 0))
        parser.add_argument("--working-days", default="1,2,3,4,5", help=_("Hari kerja ISO, 1 = Senin"))
        parser.add_argument("--photo-retention-days", type=int, default=None)

    def handle(self, *args: object, **options: object) -> None:
        password = options["admin_password"] or secrets.token_urlsafe(12)
        try:
            created = office_create(
                regency_code=options["regency"],
                name=options["name"],
                code=options["code"],
                phone_number_id=options["phone_number_id"],
                display_number=options["display_number"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_password=password,
                address=options["address"],
                email_sender=options["email_sender"],
                time_zone=options["time_zone"],
                opens_at=options["opens_at"],
                closes_at=options["closes_at"],
                working_days=options["working_days"],
                photo_retention_days=options["photo_retention_days"],
            )
        except OfficeCreateError as error:
            raise CommandError(str(error)) from error
        office = created.office
        self.stdout.write(
            self.style.SUCCESS(_("Kantor dibuat: %(name)s (%(code)s)") % {"name": office.name, "code": office.code})
        )
        lines = [
            _("  wilayah diimpor: %(n)d; layanan baru di katalog: %(s)d")
            % {"n": created.regions_imported, "s": created.services_created},
            _("  template WhatsApp: %(t)d; cuti bersama: %(d)d; zona waktu: %(tz)s")
            % {"t": created.templates, "d": created.days_off, "tz": office.time_zone},
            _("  admin: %(user)s, kata sandi: %(password)s (ganti saat masuk pertama)")
            % {"user": created.admin.username, "password": password if not options["admin_password"] else "***"},
        ]
        self.stdout.write("\n".join(lines))
