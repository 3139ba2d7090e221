"""Signed-webhook acknowledgements against a bare endpoint on the same production-style server (issue 3, point 8).

    .venv/bin/python bench/webhook.py                                   # SQLite + SqliteHuey
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pencet_bench \\
        .venv/bin/python bench/webhook.py                               # PostgreSQL + RedisHuey

One run: creates a fresh database (a temporary folder for SQLite; for PostgreSQL the database named in
DATABASE_URL, which must contain "bench" because it is dropped and created again), migrates it, adds one
office with the WhatsApp phone number id, starts gunicorn (gthread workers) on a loopback port with
PENCET_DEBUG off, and at each concurrency level sends `--count` signed text-message webhooks from different
citizens (unique wamids) to /whatsapp/webhook/ and the same bodies to /healthz/, the bare endpoint (same
server, same middleware, answers "ok" without the database). Prints requests/s, p50 and p99 of both, the
throughput ratio and the verdict on the target, then checks that every acknowledged delivery is a stored row.
No Huey consumer runs: this measures acknowledgements; the queued tasks are flushed at the end. Stops by
itself (bounded in count and seconds per phase), stops the server and removes what it created.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pencet.whatsapp.payloads import PHONE_NUMBER_ID, signature_header, wa_text  # noqa: E402

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TEXTS = [
    "halo",
    "Selamat pagi, saya mau urus akta kelahiran anak saya",
    "Bagaimana status permohonan saya?",
    "1",
    "KTP saya hilang, apa syaratnya untuk cetak ulang?",
    "Terima kasih banyak",
    "Apakah kantor buka hari Sabtu?",
    "Saya sudah kirim foto KK",
]
NAMES = ["Sari Wahyuni", "Andi Baso", "Nurhayati", "Muh. Ilham", "Rahmawati", "Syamsul Bahri", "Hasnah", "Irfan"]


@dataclass
class Phase:
    sent: int
    failed: int
    seconds: float
    timings_ms: list[float]

    def add(self, other: Phase) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.seconds += other.seconds
        self.timings_ms += other.timings_ms

    @property
    def rate(self) -> float:
        return (self.sent - self.failed) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.timings_ms:
            return float("nan")
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p) - 1))]


def server_env(*, var_dir: Path, queue: str, redis_url: str, app_secret: str, **extra: str) -> dict[str, str]:
    """The environment of a production-configured server under benchmark: this shell's own Pencet and WhatsApp
    settings left out, a fresh secret key, debug off, the given queue and app secret; `extra` adds or overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PENCET_", "WHATSAPP_", "DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "pencet.settings",
            "PENCET_VAR_DIR": str(var_dir),
            "PENCET_SECRET_KEY": secrets.token_urlsafe(50),
            "PENCET_DEBUG": "0",
            "PENCET_ALLOWED_HOSTS": HOST,
            "PENCET_QUEUE": queue,
            "PENCET_REDIS_URL": redis_url,
            "PENCET_LOG_LEVEL": "WARNING",
            "WHATSAPP_APP_SECRET": app_secret,
            "WHATSAPP_VERIFY_TOKEN": secrets.token_urlsafe(12),
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            **extra,
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def citizen_body(rng: random.Random) -> bytes:
    """A realistic text message from one of many citizens (unique wamid, own phone and business-scoped id)."""
    import json

    number = rng.randrange(10**9, 10**10)
    return json.dumps(
        wa_text(
            text=rng.choice(TEXTS),
            phone=f"628{number}",
            user_id=f"ID.{number:016d}",
            name=rng.choice(NAMES),
        ),
        separators=(",", ":"),
    ).encode()


def http_post(*, path: str, body: bytes, secret: str) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: facebookexternalua\r\n"
        f"Content-Type: application/json\r\nX-Hub-Signature-256: {signature_header(body, secret)}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_phase(
    *, port: int, requests: list[bytes], concurrency: int, max_seconds: float, keepalive: bool
) -> Phase:
    """Send the requests over `concurrency` connections (HTTP/1.1 keep-alive unless told otherwise)."""
    timings: list[float] = []
    failed = 0
    items = iter(requests)
    deadline = time.perf_counter() + max_seconds

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(HOST, port)

    async def client() -> None:
        nonlocal failed
        conn = await connect()
        for raw in items:
            if time.perf_counter() > deadline:
                break
            if conn is None:
                conn = await connect()
            reader, writer = conn
            started = time.perf_counter()
            try:
                writer.write(raw)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length, close = 0, not keepalive
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"connection" and value.strip().lower() == b"close":
                        close = True
                await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status, close = 0, True
            timings.append((time.perf_counter() - started) * 1000)
            failed += status != 200
            if close:
                conn[1].close()
                conn = None
        if conn is not None:
            conn[1].close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Phase(sent=len(timings), failed=failed, seconds=time.perf_counter() - started, timings_ms=timings)


def _stat_cpu(pid: int | str) -> tuple[int, int, float] | None:
    """(pid, parent pid, user + system CPU seconds so far) of one process, from /proc (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(pid), int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuGroups:
    """CPU seconds so far of each process group the acknowledgement runs on: the gunicorn master and its workers,
    the PostgreSQL backends serving the benchmark's database, redis-server (machine-wide: another Redis user would
    count too) and this load generator. CPU per request does not depend on what else the machine is doing, so it
    is the figure to compare on a shared machine."""

    def __init__(self, *, server_pid: int, database: str) -> None:
        self.server_pid = server_pid
        self.database = database

    def read(self) -> dict[str, dict[int, float]]:
        groups: dict[str, dict[int, float]] = {"gunicorn": {}, "postgres": {}, "redis": {}}
        children: dict[int, list[int]] = {}
        seconds: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            found = _stat_cpu(entry.name)
            if found is None:
                continue
            pid, parent, used = found
            children.setdefault(parent, []).append(pid)
            seconds[pid] = used
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if self.database and cmdline.startswith(b"postgres:") and f" {self.database} ".encode() in cmdline:
                groups["postgres"][pid] = used
            elif cmdline.startswith(b"/usr/bin/redis-server") or cmdline.startswith(b"redis-server"):
                groups["redis"][pid] = used
        todo = [self.server_pid]
        while todo:
            pid = todo.pop()
            if pid in seconds:
                groups["gunicorn"][pid] = seconds[pid]
            todo.extend(children.get(pid, []))
        times = os.times()
        groups["load generator"] = {os.getpid(): times.user + times.system}
        return groups

    @staticmethod
    def spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
        """CPU seconds per group between two readings; a process started in between counts whole."""
        return {
            name: sum(used - before.get(name, {}).get(pid, 0.0) for pid, used in after[name].items()) for name in after
        }


def pencet(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "pencet"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode:
        sys.exit(f"pencet {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def postgres_recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop and recreate database {name!r}: its name must contain 'bench'")
    admin = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


SEED = f"""
from pencet.accounts.models import Office
from pencet.regions.models import Region
province, _ = Region.objects.get_or_create(code="73", defaults={{"name": "Sulawesi Selatan", "level": 1,
    "kind": "provinsi"}})
Region.objects.get_or_create(code="73.07", defaults={{"name": "Kabupaten Sinjai", "level": 2, "kind": "kabupaten",
    "parent": province}})
Office.objects.get_or_create(code="SNJ", defaults={{"name": "Disdukcapil Kabupaten Sinjai", "regency_id": "73.07",
    "whatsapp_phone_number_id": "{PHONE_NUMBER_ID}"}})
"""
COUNT = """
from huey.contrib.djhuey import HUEY
from pencet.whatsapp.models import WebhookDelivery
print(WebhookDelivery.objects.count(), HUEY.pending_count())
"""
FLUSH = "from huey.contrib.djhuey import HUEY; HUEY.flush()"


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3000, help="requests per endpoint per level (default 3000)")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured requests per endpoint per level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16, 32])
    parser.add_argument("--rounds", type=int, default=5, help="alternating webhook/bare rounds per level")
    parser.add_argument("--max-seconds", type=float, default=60, help="cut an endpoint's level short after this")
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers (default 2 × cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--port", type=int, default=0, help="loopback port for the server (default: a free one)")
    parser.add_argument("--queue", choices=["sqlite", "redis", "postgres"], help="default: redis with DATABASE_URL")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15", help="queue for --queue redis")
    parser.add_argument("--var-dir", help="folder for SQLite files and logs (default: a new temporary one)")
    parser.add_argument("--new-connections", action="store_true", help="one TCP connection per request")
    parser.add_argument("--keep", action="store_true", help="keep the database and folder afterwards")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    queue = args.queue or ("redis" if database_url else "sqlite")
    var_dir = Path(args.var_dir or tempfile.mkdtemp(prefix="pencet-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "static").mkdir(exist_ok=True)
    port = args.port or free_port()
    app_secret = secrets.token_urlsafe(24)
    env = server_env(var_dir=var_dir, queue=queue, redis_url=args.redis_url, app_secret=app_secret)
    server: subprocess.Popen | None = None
    log = (var_dir / "gunicorn.log").open("w")
    print(machine())
    try:
        if database_url:
            postgres_recreate(database_url)
        print(f"database: {'PostgreSQL ' + database_url if database_url else 'SQLite in ' + str(var_dir)}")
        print(f"queue: {queue} (no consumer during the run); migrating …", flush=True)
        pencet(env, "migrate", "--noinput", "-v", "0")
        pencet(env, "shell", "-c", SEED)
        pencet(env, "shell", "-c", FLUSH)
        command = [
            str(BIN / "gunicorn"),
            "pencet.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={args.workers}",
            "--worker-class=gthread",
            f"--threads={args.threads}",
        ]
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        wait_until_up(port=port, server=server)
        print(f"server: {' '.join(command[1:])} (pid {server.pid})\n", flush=True)

        cpu = CpuGroups(server_pid=server.pid, database=urllib.parse.urlsplit(database_url).path.lstrip("/"))
        cpu_rows: list[tuple[int, str, int, dict[str, float]]] = []
        rng = random.Random(args.seed)
        print(HEADER + "\n|" + "---:|" * 9, flush=True)
        results: list[tuple[int, Phase, Phase]] = []
        acked = 0
        for concurrency in args.concurrency:
            phases = {"webhook": Phase(0, 0, 0.0, []), "bare": Phase(0, 0, 0.0, [])}
            spent: dict[str, dict[str, float]] = {"webhook": {}, "bare": {}}
            # Alternating rounds, so that whatever else the machine does at the time weighs on both endpoints alike.
            for round_ in range(args.rounds + 1):
                size = args.warmup if round_ == 0 else args.count // args.rounds
                bodies = [citizen_body(rng) for _ in range(size)]
                for name, path in (("webhook", "/whatsapp/webhook/"), ("bare", "/healthz/")):
                    before = cpu.read()
                    phase = asyncio.run(
                        one_phase(
                            port=port,
                            requests=[http_post(path=path, body=body, secret=app_secret) for body in bodies],
                            concurrency=concurrency,
                            max_seconds=args.max_seconds / args.rounds,
                            keepalive=not args.new_connections,
                        )
                    )
                    used = CpuGroups.spent(before, cpu.read())
                    if name == "webhook":
                        acked += phase.sent - phase.failed
                    if round_:
                        phases[name].add(phase)
                        for group, seconds in used.items():
                            spent[name][group] = spent[name].get(group, 0.0) + seconds
            results.append((concurrency, phases["webhook"], phases["bare"]))
            report_line(concurrency, phases["webhook"], phases["bare"])
            cpu_rows += [(concurrency, name, phases[name].sent, spent[name]) for name in ("webhook", "bare")]
        cpu_table(cpu_rows)

        stored, pending = (int(n) for n in pencet(env, "shell", "-c", COUNT).split()[-2:])
        print(f"\nacknowledged webhooks: {acked}; stored delivery rows: {stored}; queued tasks: {pending}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        verdict(results)
        if stored < acked:
            print("FAIL: a webhook was acknowledged without its delivery row")
            return 1
        return 0
    finally:
        log.close()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if not args.keep:
                pencet(env, "shell", "-c", FLUSH)
        if not args.keep:
            if database_url:
                postgres_recreate(database_url, drop_only=True)
            shutil.rmtree(var_dir, ignore_errors=True)


def machine() -> str:
    """What the figures ran on (the load generator, the server, PostgreSQL and Redis all share it)."""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return (
        f"machine: {os.cpu_count()} × {cpu}, {int(mem) / 1024**2:.0f} GiB, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}"
    )


def wait_until_up(*, port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited at start; see gunicorn.log (run with --keep)")
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(f"GET /healthz/ HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode())
                if s.recv(64).startswith((b"HTTP/1.0 200", b"HTTP/1.1 200")):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


HEADER = (
    "| clients | webhook req/s | webhook p50 ms | webhook p99 ms | bare req/s | bare p50 ms | bare p99 ms "
    "| webhook/bare | failed |"
)


def report_line(concurrency: int, hook: Phase, bare: Phase) -> None:
    print(
        f"| {concurrency} | {hook.rate:.0f} | {hook.pct(0.5):.1f} | {hook.pct(0.99):.1f} | {bare.rate:.0f} "
        f"| {bare.pct(0.5):.1f} | {bare.pct(0.99):.1f} | {hook.rate / bare.rate:.0%} | {hook.failed + bare.failed} |",
        flush=True,
    )


def cpu_table(rows: list[tuple[int, str, int, dict[str, float]]]) -> None:
    """CPU ms per request of each process group (read from /proc around each measured round)."""
    groups = ["gunicorn", "postgres", "redis", "load generator"]
    print("\nCPU ms per request (user + system, from /proc; redis-server is machine-wide):\n")
    print("| clients | endpoint | " + " | ".join(groups) + " | total |\n|---:|---|" + "---:|" * (len(groups) + 1))
    for concurrency, name, sent, spent in rows:
        per = [spent.get(g, 0.0) * 1000 / max(1, sent) for g in groups]
        print(f"| {concurrency} | {name} | " + " | ".join(f"{v:.2f}" for v in per) + f" | {sum(per):.2f} |")


def verdict(results: list[tuple[int, Phase, Phase]]) -> None:
    """The target (issue 15, point 5): at 16 clients, ≥ 1,000 acknowledgements/s with p99 ≤ 250 ms. The ratio to
    the bare endpoint (issue 3's 60 %) is printed for comparison with older runs."""
    at16 = [(hook, bare) for c, hook, bare in results if c == 16]
    if not at16:
        print("no level with 16 clients: target not measured (add 16 to --concurrency)")
        return
    hook, bare = at16[0]
    ok = hook.rate >= 1000 and hook.pct(0.99) <= 250 and hook.failed == 0
    print(
        f"16 clients: {hook.rate:.0f} acknowledgements/s, p99 {hook.pct(0.99):.1f} ms ({hook.rate / bare.rate:.0%} "
        f"of the bare endpoint) → target {'MET' if ok else 'NOT MET'} (≥ 1,000/s, p99 ≤ 250 ms)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
