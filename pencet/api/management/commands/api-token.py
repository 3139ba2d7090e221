from django.core.management.base import BaseCommand, CommandError, CommandParser

from pencet.accounts.models import User
from pencet.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a REST API bearer token for a staff user and print it (once: only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="", help="A label to recognise the token later, e.g. the system using it."
        )

    def handle(self, *args: object, username: str, name: str, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.")
        if not user.is_active:
            raise CommandError(f"Pengguna '{username}' tidak aktif; tokennya akan ditolak.")
        if not user.roles and not user.is_superuser:
            raise CommandError(f"Pengguna '{username}' belum memiliki peran; tokennya akan ditolak.")
        token, key = api_token_create(user=user, name=name[:100])
        # The explanation goes to stderr so that `TOKEN=$(pencet api-token andi)` captures the token alone.
        self.stderr.write(
            f"Token API untuk {user.username} (awalan {token.prefix}); simpan sekarang, tidak ditampilkan lagi:"
        )
        self.stdout.write(key)
