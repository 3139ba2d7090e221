from django.conf import settings
from django.core.management.base import BaseCommand
from lokal import wilayah

from pencet.accounts.selectors import demo_login_list
from pencet.accounts.services import demo_office_seed
from pencet.regions.models import Region
from pencet.regions.services import region_import


class Command(BaseCommand):
    help = "Create (or refresh) the demo office Disdukcapil Kabupaten Sinjai with one account per role."

    def handle(self, *args: object, **options: object) -> None:
        # The full import takes a while; skip it once every region of the decree is in the database.
        if Region.objects.count() < len(wilayah._base()) + len(wilayah._desa()):
            self.stdout.write("Mengimpor kode wilayah Kemendagri…")
            region_import()
        office = demo_office_seed()
        self.stdout.write(self.style.SUCCESS(f"Kantor demo siap: {office.name} ({office.code})."))
        for username, label in demo_login_list(office=office):
            self.stdout.write(f"  {username:<16} {label}")
        self.stdout.write(f"Kata sandi demo: {settings.PENCET_DEMO_PASSWORD}")
