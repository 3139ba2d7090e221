from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pencet.accounts.models import Office
from pencet.reports.rebuild import reports_rebuild_office


class Command(BaseCommand):
    help = _(
        "Menghitung ulang agregat laporan dari permohonan (setelah pembaruan atau impor); "
        "bawaan: sejak permohonan pertama kantor sampai hari ini."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help=_("Kode kantor (bawaan: semua kantor)"))
        parser.add_argument("--from", dest="date_from", type=date.fromisoformat, help=_("Tanggal awal, YYYY-MM-DD"))
        parser.add_argument("--to", dest="date_to", type=date.fromisoformat, help=_("Tanggal akhir, YYYY-MM-DD"))

    def handle(
        self, *args: object, office: str | None, date_from: date | None, date_to: date | None, **options: object
    ) -> None:
        offices = Office.objects.filter(code=office.upper()) if office else Office.objects.all()
        for item in offices.order_by("code"):
            days = reports_rebuild_office(office=item, date_from=date_from, date_to=date_to)
            self.stdout.write(_("%(code)s: %(days)d hari dihitung ulang") % {"code": item.code, "days": days})
