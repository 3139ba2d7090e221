"""`pencet serve`: the web app (waitress) and a Huey consumer beside it, as `make run` starts them."""

import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from waitress.server import create_server

from pencet.accounts.selectors import demo_login_list, demo_office_get
from pencet.lib.proxies import proxy_networks_parse

# A consumer that died is started again after a second; one that keeps dying soon after its start waits twice as
# long each time, up to half a minute, so a crash loop does not spin while a single crash costs little.
RESTART_DELAY_SECONDS = 1
RESTART_DELAY_MAX_SECONDS = 30
# A consumer that ran this long before it died was not crashing at start: the next restart is quick again.
RESTART_HEALTHY_SECONDS = 60
# The child imports nothing of Django before setup (importing this module would load models too early).
CONSUMER_CODE = "from pencet.cli import consumer_main; consumer_main(parent={pid})"


def restart_delay(*, previous: float | None, lived: float) -> float:
    """Seconds before a dead consumer starts again: RESTART_DELAY_SECONDS after a life of RESTART_HEALTHY_SECONDS
    or more (or the first time), else twice the previous delay, at most RESTART_DELAY_MAX_SECONDS."""
    if previous is None or lived >= RESTART_HEALTHY_SECONDS:
        return RESTART_DELAY_SECONDS
    return min(previous * 2, RESTART_DELAY_MAX_SECONDS)


class Consumer:
    """The `pencet run_huey` child process, watched by a thread that restarts it and complains when it dies."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.started_at = 0.0
        self.delay: float | None = None  # the last restart's delay; None before the first

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-c", CONSUMER_CODE.format(pid=os.getpid())], env=os.environ.copy()
        )
        threading.Thread(target=self._watch, name="huey-watch", daemon=True).start()

    def _watch(self) -> None:
        while not self.stopping.is_set():
            assert self.process is not None
            code = self.process.wait()
            # Ctrl-C reaches the consumer and this process together; give the shutdown a moment to be noticed.
            if self.stopping.wait(1):
                return
            delay = restart_delay(previous=self.delay, lived=time.monotonic() - self.started_at)
            self.delay = delay
            self.command.stderr.write(
                self.command.style.ERROR(
                    f"!!! Huey consumer (pid {self.process.pid}) berhenti dengan kode {code}: pesan WhatsApp, "
                    f"e-mail dan pengingat TIDAK terkirim. Dijalankan ulang dalam {delay:g} detik."
                )
            )
            if self.stopping.wait(delay):
                return
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(self.process.args, env=os.environ.copy())

    def stop(self) -> None:
        self.stopping.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def waitress_proxy_options(trusted: list[str]) -> dict[str, object]:
    """waitress' own proxy handling for PENCET_TRUSTED_PROXIES, when it can express it: one proxy address.

    waitress trusts a single peer (`trusted_proxy`); with several proxies or a network it is left out and
    pencet.console.proxies.TrustedProxyMiddleware, which runs in every server, does the whole job.
    """
    networks = proxy_networks_parse(trusted)
    if len(networks) != 1 or networks[0].num_addresses != 1:
        return {}
    return {
        "trusted_proxy": str(networks[0].network_address),
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "trusted_proxy_count": 1,
        "clear_untrusted_proxy_headers": True,
    }


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Serve the console, API and webhook with waitress, with a Huey consumer running beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("PENCET_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PENCET_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start a Huey consumer.")

    def handle(self, *args: object, host: str, port: int, threads: int, no_worker: bool, **options: object) -> None:
        # Explicit handlers: a server started in the background inherits an ignored SIGINT.
        signal.signal(signal.SIGTERM, _raise_exit)
        signal.signal(signal.SIGINT, _raise_exit)
        if not settings.DEBUG:
            # Whitenoise serves what collectstatic gathered; unchanged files are skipped, so this is quick.
            call_command("collectstatic", interactive=False, verbosity=0)
        # Imported after collectstatic: whitenoise indexes the static folder when the app is built.
        from django.core.wsgi import get_wsgi_application
        from django.urls import get_resolver

        application = get_wsgi_application()
        # Every view imported now, as pencet.wsgi does for gunicorn: not on the first citizen's webhook.
        get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
        proxy = waitress_proxy_options(settings.PENCET_TRUSTED_PROXIES)
        server = create_server(application, host=host, port=port, threads=threads, **proxy)
        consumer = None if no_worker or settings.HUEY.get("immediate") else Consumer(self)
        try:
            if consumer is not None:
                consumer.start()
            self._print_banner(host=host, port=port, worker=consumer is not None)
            server.run()
        finally:
            self.stdout.write("Menghentikan server…")
            server.close()
            if consumer is not None:
                consumer.stop()

    def _print_banner(self, *, host: str, port: int, worker: bool) -> None:
        base = f"http://{host}:{port}"
        lines = [
            self.style.SUCCESS(f"Pencet berjalan di {base}/"),
            f"  Konsol petugas   {base}/",
            f"  Admin            {base}/admin/",
        ]
        if settings.SIMULATOR:
            lines.append(f"  Simulator WA     {base}/simulator/")
        lines += [
            f"  Webhook WhatsApp {base}/whatsapp/webhook/",
            f"  API              {base}/api/v1/",
            "  Huey consumer    " + ("berjalan" if worker else "TIDAK berjalan"),
        ]
        office = demo_office_get()
        if office is not None:
            lines.append(f"Akun demo ({office.name}), kata sandi: {settings.PENCET_DEMO_PASSWORD}")
            for username, label in demo_login_list(office=office):
                lines.append(f"  {username:<16} {label}")
            if not settings.OTP_REQUIRED:
                lines.append("  (faktor kedua/OTP dimatikan untuk demo)")
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
