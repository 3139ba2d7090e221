import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pencet.lib.nik import Issue, RegionRef, nik_parse
from pencet.regions.selectors import region_names


def _region(ref: RegionRef | None) -> dict[str, str] | None:
    return {"code": ref.code, "name": ref.name} if ref else None


def _issues(issues: tuple[Issue, ...]) -> list[dict[str, str]]:
    return [{"code": i.code, "message": i.message} for i in issues]


class Command(BaseCommand):
    help = "Periksa struktur NIK dan tampilkan isinya sebagai JSON (kode keluar 0 bila valid, 1 bila tidak)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help='NIK, boleh dengan spasi atau titik, mis. "7307 0741 0190 0001".')

    def handle(self, *args: object, number: str, **options: object) -> None:
        check = nik_parse(value=number, region_names=region_names)
        result = {
            "valid": check.valid,
            "errors": _issues(check.errors),
            "warnings": _issues(check.warnings),
            "sex": check.sex,
            "birth_date": check.birth_date.isoformat() if check.birth_date else None,
            "province": _region(check.province),
            "regency": _region(check.regency),
            "district": _region(check.district),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        if not check.valid:
            raise CommandError(_("NIK tidak valid."), returncode=1)
