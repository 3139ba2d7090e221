import time

from django.conf import settings
from django.core.management.base import BaseCommand

from pencet.whatsapp.fakegraph import FakeGraph, serve_in_thread


class Command(BaseCommand):
    help = (
        "Run a local stand-in for Meta's Graph API (WhatsApp Cloud API) on loopback. Point the server at it with "
        "WHATSAPP_API_URL=http://127.0.0.1:PORT and the same WHATSAPP_ACCESS_TOKEN."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--port", type=int, default=8090)
        parser.add_argument("--token", default=settings.WHATSAPP_ACCESS_TOKEN or "test-access-token")

    def handle(self, *args: object, port: int, token: str, **options: object) -> None:
        graph = FakeGraph(token=token)
        server = serve_in_thread(graph, port=port)
        self.stdout.write(f"Graph API stand-in on {server.url} (bearer token: {token}). Ctrl+C to stop.")
        seen = 0
        try:
            while True:
                time.sleep(2)
                if len(graph.messages) != seen:
                    seen = len(graph.messages)
                    self.stdout.write(f"{seen} message(s) accepted so far")
        except KeyboardInterrupt:
            server.stop()
