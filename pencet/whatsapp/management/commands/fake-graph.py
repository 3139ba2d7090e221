import time

from django.conf import settings
from django.core.management.base import BaseCommand

from pencet.whatsapp.fakegraph import FakeGraph
from pencet.whatsapp.fakegraph_server import serve_in_thread
from pencet.whatsapp.fakestatuses import StatusWebhooks


class Command(BaseCommand):
    help = (
        "Run a local stand-in for Meta's Graph API (WhatsApp Cloud API) on loopback. Point the server at it with "
        "WHATSAPP_API_URL=http://127.0.0.1:PORT and the same WHATSAPP_ACCESS_TOKEN. With --webhook it posts "
        "signed sent/delivered statuses (with biz_opaque_callback_data) back to the app, as Meta does."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--port", type=int, default=8090)
        parser.add_argument("--token", default=settings.WHATSAPP_ACCESS_TOKEN or "test-access-token")
        parser.add_argument(
            "--webhook", default="", help="the app's webhook URL, e.g. http://127.0.0.1:8000/whatsapp/webhook/"
        )
        parser.add_argument("--app-secret", default=settings.WHATSAPP_APP_SECRET, help="signs the status webhooks")

    def handle(self, *args: object, port: int, token: str, webhook: str, app_secret: str, **options: object) -> None:
        graph = FakeGraph(token=token)
        if webhook:
            StatusWebhooks(url=webhook, app_secret=app_secret).attach(graph)
        server = serve_in_thread(graph, port=port)
        self.stdout.write(f"Graph API stand-in on {server.url} (bearer token: {token}). Ctrl+C to stop.")
        if webhook:
            self.stdout.write(f"Statuses of every accepted send go to {webhook}.")
        seen = 0
        try:
            while True:
                time.sleep(2)
                if len(graph.messages) != seen:
                    seen = len(graph.messages)
                    self.stdout.write(f"{seen} message(s) accepted so far")
        except KeyboardInterrupt:
            server.stop()
