from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pencet.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _("Mencadangkan basis data dan semua berkas ke satu arsip .tar.gz (boleh saat layanan berjalan).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help=_("Berkas .tar.gz atau folder tujuan (bawaan: PENCET_BACKUP_DIR).")
        )

    def handle(self, *args: object, output: Path | None, **options: object) -> None:
        try:
            result = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(
            _("Cadangan: %(path)s (%(files)d berkas, %(mb).1f MB; %(counts)s)")
            % {"path": result.path, "files": result.files, "mb": result.bytes / 1e6, "counts": counts}
        )
