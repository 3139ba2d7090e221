from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pencet.accounts.models import Office
from pencet.ops.services import office_retention_days, photos_purge


class Command(BaseCommand):
    help = _(
        "Menghapus foto dokumen warga dari permohonan yang sudah lama selesai, sesuai masa simpan tiap kantor; "
        "dokumen hasil dan riwayat tetap."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help=_("Kode kantor (bawaan: semua kantor)"))
        parser.add_argument("--dry-run", action="store_true", help=_("Hanya hitung, jangan hapus."))

    def handle(self, *args: object, office: str | None, dry_run: bool, **options: object) -> None:
        offices = Office.objects.filter(code=office.upper()) if office else Office.objects.all()
        for item in offices.order_by("code"):
            result = photos_purge(office=item, dry_run=dry_run)
            verb = _("akan dihapus") if dry_run else _("dihapus")
            self.stdout.write(
                _(
                    "%(code)s (masa simpan %(days)d hari): %(files)d berkas dari %(apps)d permohonan %(verb)s, "
                    "%(mb).1f MB"
                )
                % {
                    "code": item.code,
                    "days": office_retention_days(office=item),
                    "files": result.files,
                    "apps": result.applications,
                    "verb": verb,
                    "mb": result.bytes / 1e6,
                }
            )
