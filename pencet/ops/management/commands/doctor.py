import json

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pencet.ops.doctor import FAIL, OK, SKIP, WARN, doctor_run

MARK = {OK: "[ OK ]", WARN: "[PERINGATAN]", FAIL: "[GAGAL]", SKIP: "[LEWAT]"}


class Command(BaseCommand):
    help = _("Memeriksa konfigurasi sebelum kantor mulai melayani; keluar dengan kode 1 bila ada yang menghalangi.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--offline", action="store_true", help=_("Jangan hubungi Meta atau server SMTP."))
        parser.add_argument("--json", action="store_true", help=_("Keluaran JSON untuk pemantauan."))

    def handle(self, *args: object, offline: bool, json: bool, **options: object) -> None:
        results = doctor_run(offline=offline)
        blocking = sum(f.blocks for _title, findings in results for f in findings)
        if json:
            self._print_json(results, blocking)
        else:
            self._print_text(results, blocking)
        if blocking:
            # Non-zero so a deploy script or CI stops here.
            raise SystemExit(1)

    def _print_json(self, results: list, blocking: int) -> None:
        payload = {
            "blocking": blocking,
            "sections": [{"section": title, "findings": [f.__dict__ for f in findings]} for title, findings in results],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _print_text(self, results: list, blocking: int) -> None:
        style = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR, SKIP: self.style.NOTICE}
        for title, findings in results:
            self.stdout.write(self.style.MIGRATE_HEADING(title))
            for finding in findings:
                self.stdout.write(f"  {style[finding.status](MARK[finding.status])} {finding.title}")
                if finding.detail:
                    self.stdout.write(f"      {finding.detail}")
                if finding.fix and finding.status != OK:
                    self.stdout.write("      " + _("Perbaikan: %(fix)s") % {"fix": finding.fix})
        if blocking:
            self.stdout.write(
                self.style.ERROR(_("Belum siap: %(count)d masalah harus diperbaiki.") % {"count": blocking})
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Siap melayani: tidak ada yang menghalangi.")))
