from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pencet.ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = _("Memulihkan arsip `pencet backup` ke basis data dan penyimpanan yang kosong.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--verify-only", action="store_true", help=_("Hanya periksa checksum arsip."))
        parser.add_argument("--force", action="store_true", help=_("Timpa basis data yang tidak kosong."))

    def handle(self, *args: object, archive: Path, verify_only: bool, force: bool, **options: object) -> None:
        try:
            if verify_only:
                manifest = backup_verify(path=archive)
                self.stdout.write(_("Arsip utuh: %(n)d berkas cocok dengan checksum.") % {"n": len(manifest["files"])})
                return
            result = backup_restore(path=archive, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for key, expected in result.expected.items():
            got = result.counts.get(key)
            mark = "OK" if got == expected else _("BEDA")
            self.stdout.write(f"  {key:<13} {got} / {expected} {mark}")
        if result.counts != result.expected:
            raise CommandError(_("Jumlah baris hasil pemulihan tidak sama dengan cadangan."))
        self.stdout.write(self.style.SUCCESS(_("Dipulihkan: %(n)d berkas.") % {"n": result.files}))
