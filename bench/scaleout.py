"""The province/national topology, run and measured on one machine (issue 14, point 6).

    .venv/bin/python bench/scaleout.py                      # 300 citizens
    .venv/bin/python bench/scaleout.py --citizens 24        # what tests/ops/test_scaleout.py runs
    BENCH_REDIS_URL=redis://127.0.0.1:6379/5 BENCH_DB_PREFIX=me_scaleout_ .venv/bin/python bench/scaleout.py

Starts, all on loopback:
  - a fresh PostgreSQL database (postgres://postgres@127.0.0.1:5432/pencet_scaleout_<random>), migrated, with
    the office created by `pencet office-create` (regions, catalogue, templates, first admin);
  - moto_server (a real S3 wire-protocol server) with a private bucket: PENCET_STORAGE=s3;
  - a Graph API stand-in (pencet.whatsapp.fakegraph, in its own process) that, like Meta, takes --graph-latency
    per send (the message is accepted halfway) and posts a signed `sent` status webhook with the send's
    biz_opaque_callback_data back through the balancer for every message it accepts (fakestatuses.py);
  - two web processes (gunicorn, one process with 8 threads each) behind a small round-robin TCP load balancer
    (its own process);
  - two `pencet worker` consumers with PENCET_QUEUE=redis (database 12 of the local Redis, or BENCH_REDIS_URL;
    flushed before and after).
Then every citizen sends "halo" and a photo of a document (two signed webhooks, unique wamids) through the load
balancer. Once a quarter of the greetings are handled, the stand-in SIGKILLs worker 1 at the start of one of its
sends (preferably while another of its sends was accepted but not yet answered): one send never reaches Meta,
others Meta has but the worker never heard. A backup is taken while the rest arrives. At the end it checks that
every citizen got the greeting exactly once, every outbound row reached Meta exactly once (the stand-in's log
against the outbox; the cut sends included), nothing is left queued/sending/unknown/failed, every webhook and
message was processed, and every photo is in the bucket with its sha256. Prints the figures (webhooks/s per web
process, bot turns/s per worker) and exits 1 if a check fails.

Recovery after the kill is the production path with production settings: the dead worker's tasks are lost with
it; the surviving worker's sweeps take its claimed deliveries again when the claims expire (2 minutes) and its
cut sends wait for Meta's status (WHATSAPP_SENDING_STALE_SECONDS + WHATSAPP_STATUS_GRACE_SECONDS, 1 + 2
minutes), then go out once more if none came (pencet/whatsapp/orphans.py). So a run lasts about 3 minutes more
than the traffic itself.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from webhook import free_port, http_post, one_phase  # noqa: E402

from pencet.whatsapp.payloads import (  # noqa: E402
    PHONE_NUMBER_ID,
    media_sha256_b64,
    wa_image,
    wa_text,
)

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
# Flushed before and after the run: a database number of the run's own (BENCH_REDIS_URL to change it).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "pencet_scaleout_")
GREETING = "Selamat datang"


# ----- child process: the Graph API stand-in ------------------------------------------------------------------


def graph_child(*, port: int, token: str, webhook_url: str, secret: str, latency: float) -> None:
    """The stand-in for Meta. Like Meta, a send is accepted some way into the call (half of `latency`) and answered
    after the rest, and every accepted send gets a signed `sent` status webhook with its biz_opaque_callback_data
    (pencet.whatsapp.fakestatuses). A sender that is gone when its message would be accepted (a worker SIGKILLed
    while its request travelled) never reaches Meta: the send is dropped, no status comes.

    POST /_bench/kill?pid=P&after=N arms the kill: once N sends are accepted, the next send of process P that
    starts while another of its sends has been accepted but not answered (or any after 2 s) gets P SIGKILLed
    there and then, so one kill cuts a send Meta never got and, mostly, one Meta accepted."""
    import io
    import select
    import socket
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from pencet.whatsapp.fakegraph import FakeGraph, _json
    from pencet.whatsapp.fakestatuses import StatusWebhooks

    webhooks = StatusWebhooks(url=webhook_url, app_secret=secret, statuses=("sent",))
    calls: dict[int, str] = {}  # sender's port -> "travelling" (not accepted yet) or "accepted" (not answered yet)
    dropped: list[str] = []  # callback data of sends whose sender died before Meta had them
    unanswered: list[str] = []  # ... and of sends Meta accepted after which the sender died before the answer
    kill: dict = {"pid": 0, "after": 0, "due_at": 0.0, "done": None, "ports": set()}
    kill_lock = threading.Lock()

    def maybe_kill(sender: int, sock: socket.socket, accepted_so_far: int) -> None:
        if not kill["pid"] or kill["done"] or accepted_so_far < kill["after"]:
            return
        kill["due_at"] = kill["due_at"] or time.time()
        own = local_ports(kill["pid"])
        if sender not in own:
            return
        with kill_lock:
            others = [calls.get(port) for port in own if port != sender]
            if kill["done"] or ("accepted" not in others and time.time() - kill["due_at"] < 2):
                return
            os.kill(kill["pid"], signal.SIGKILL)
            kill["ports"] = own
            kill["done"] = {"at": time.time(), "calls_in_flight": 1 + sum(1 for c in others if c)}
            deadline = time.time() + 10
            while not gone(sock) and time.time() < deadline:
                time.sleep(0.005)  # the kernel closes the dead process's sockets: this send never arrives

    def gone(sock: socket.socket) -> bool:
        try:
            return bool(select.select([sock], [], [], 0)[0]) and sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    class BenchGraph(FakeGraph):
        def _route(self, environ: dict, method: str, path: str):
            if path == "/_bench/sent":
                with self._lock:
                    sent = [
                        {
                            "to": m["body"].get("to") or m["body"].get("recipient"),
                            "callback": m["body"].get("biz_opaque_callback_data", ""),
                            "wamid": m["wamid"],
                            "text": _text(m["body"]),
                        }
                        for m in self.messages
                    ]
                    lost = {"dropped": list(dropped), "unanswered": list(unanswered)}
                return _json(200, {"sent": sent, "statuses_pending": webhooks.pending(), **lost})
            if path == "/_bench/kill" and method == "POST":
                query = dict(part.split("=", 1) for part in environ.get("QUERY_STRING", "").split("&"))
                kill.update(pid=int(query["pid"]), after=int(query["after"]))
                return _json(200, {"armed": kill["pid"]})
            if path == "/_bench/kill":
                return _json(200, {"killed": kill["done"]})
            if path == "/_bench/media" and method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                data = environ["wsgi.input"].read(length)
                return _json(200, {"id": self.add_media(data, environ.get("HTTP_X_MIME", "image/jpeg"))})
            return super()._route(environ, method, path)

        def _send(self, environ: dict, phone_number_id: str):
            sock, sender = environ["bench.socket"], environ["bench.port"]
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(raw)
            callback = str((json.loads(raw or b"{}") or {}).get("biz_opaque_callback_data", ""))
            with self._lock:
                calls[sender] = "travelling"
            began = time.time()
            maybe_kill(sender, sock, len(self.messages))

            def killed_sender() -> bool:  # a call the killed process had started (its ports are reused later)
                return bool(kill["done"]) and began <= kill["done"]["at"] and sender in kill["ports"]

            time.sleep(latency / 2)
            if killed_sender() or gone(sock):
                with self._lock:
                    calls.pop(sender, None)
                    dropped.append(callback)
                return _json(400, {"error": {"message": "sender gone", "code": 0}})
            with self._lock:
                calls[sender] = "accepted"
            answer = super()._send(environ, phone_number_id)
            time.sleep(latency / 2)
            with self._lock:
                calls.pop(sender, None)
                if answer[0] == 200 and (killed_sender() or gone(sock)):
                    unanswered.append(callback)  # the killed process never read this answer
            return answer

    class Handler(WSGIRequestHandler):
        def get_environ(self) -> dict:
            environ = super().get_environ()
            environ["bench.socket"], environ["bench.port"] = self.connection, self.client_address[1]
            return environ

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 128

    graph = BenchGraph(token=token)
    webhooks.attach(graph)
    httpd = make_server(HOST, port, graph, server_class=Server, handler_class=Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    print(f"graph ready on {port}", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


def _text(body: dict) -> str:
    from pencet.whatsapp.fakegraph import body_text

    return body_text(body)


def local_ports(pid: int) -> set[int]:
    """The local TCP ports of a process's sockets (Linux /proc): which calls at the stand-in are its own."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
        ports = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[9] in inodes:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        return ports
    except OSError:
        return set()


# ----- child process: the load balancer ----------------------------------------------------------------------


def lb_child(*, port: int, backends: list[int], stats: Path) -> None:
    counts = Counter()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    turn = 0

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        nonlocal turn
        backend = backends[turn % len(backends)]
        turn += 1
        counts[backend] += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(HOST, backend)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    async def main() -> None:
        server = await asyncio.start_server(handle, HOST, port, backlog=512)
        print(f"lb ready on {port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        server.close()
        stats.write_text(json.dumps({str(k): v for k, v in counts.items()}))

    asyncio.run(main())


# ----- the run ----------------------------------------------------------------------------------------------


class Stack:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict, ready: str | None = None) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        if ready:
            deadline = time.monotonic() + 60
            while ready not in (self.folder / f"{name}.log").read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start:\n" + (self.folder / f"{name}.log").read_text()[-3000:])
                time.sleep(0.1)
        return process

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def pencet(env: dict, *args: str) -> str:
    done = subprocess.run([str(BIN / "pencet"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"pencet {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 640), (236, 234, 228))
    draw = ImageDraw.Draw(image)
    for row in range(30, 600, 26):
        draw.rectangle([40, row, 40 + (seed * 37 + row) % 780, row + 12], fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def run(args: argparse.Namespace) -> int:
    import boto3
    import psycopg
    import redis

    # A SIGTERM (a test's timeout, an operator) still stops every process this run started and drops its database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    folder = Path(tempfile.mkdtemp(prefix="pencet-scaleout-"))
    database = f"{DB_PREFIX}{secrets.token_hex(4)}"
    bucket = f"pencet-{secrets.token_hex(4)}"
    token, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    metrics_token = secrets.token_urlsafe(16)
    ports = {name: free_port() for name in ("lb", "web1", "web2", "graph", "s3")}
    lb_url = f"http://{HOST}:{ports['lb']}"
    s3_url = f"http://{HOST}:{ports['s3']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PENCET_", "WHATSAPP_", "DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "pencet.settings",
            "DATABASE_URL": f"{PG}/{database}",
            "PENCET_VAR_DIR": str(folder / "var"),
            "PENCET_SECRET_KEY": secrets.token_urlsafe(50),
            "PENCET_ALLOWED_HOSTS": HOST,
            "PENCET_SITE_URL": lb_url,
            "PENCET_QUEUE": "redis",
            "PENCET_REDIS_URL": REDIS_URL,
            "PENCET_WORKERS": str(args.threads),
            # The run SIGKILLs one worker process in the middle of a send and then checks the send was cut. With
            # process workers (the Linux default) the consumer's children make the sends and the killed parent
            # takes none with it, so each worker here is one process of threads, as the kill needs.
            "PENCET_WORKER_TYPE": "thread",
            "PENCET_LOG_LEVEL": "WARNING",
            "PENCET_STORAGE": "s3",
            "PENCET_S3_BUCKET": bucket,
            "PENCET_S3_ENDPOINT_URL": s3_url,
            "PENCET_S3_REGION": "us-east-1",
            "PENCET_S3_ACCESS_KEY": "bench",
            "PENCET_S3_SECRET_KEY": "bench-secret",
            "WHATSAPP_API_URL": f"http://{HOST}:{ports['graph']}",
            "WHATSAPP_ACCESS_TOKEN": token,
            "WHATSAPP_APP_SECRET": secret,
            "WHATSAPP_VERIFY_TOKEN": secrets.token_urlsafe(12),
            "PENCET_METRICS_TOKEN": metrics_token,
        }
    )
    stack = Stack(folder)
    admin = psycopg.connect(f"{PG}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{database}"')
    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    failures: list[str] = []
    figures: dict[str, float | int | str] = {}
    try:
        stack.start("s3", [str(BIN / "moto_server"), "-H", HOST, "-p", str(ports["s3"])], env)
        wait_http(f"{s3_url}/moto-api/")
        s3 = boto3.client(
            "s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
        )  # fmt: skip
        s3.create_bucket(Bucket=bucket)
        print(f"folder {folder}; database {database}; bucket {bucket}; migrating …", flush=True)
        pencet(env, "migrate", "--noinput")
        created = pencet(
            env, "office-create", "--regency", "73.07", "--name", "Disdukcapil Kabupaten Sinjai", "--code", "SNJ",
            "--phone-number-id", PHONE_NUMBER_ID, "--admin-username", "admin_snj", "--admin-email", "a@sinjai.go.id",
        )  # fmt: skip
        print(created.splitlines()[0], flush=True)
        me = [sys.executable, str(Path(__file__).resolve())]
        stack.start(
            "graph",
            [*me, "--graph-child", str(ports["graph"]), f"--token={token}", f"--secret={secret}", "--webhook",
             f"{lb_url}/whatsapp/webhook/", f"--latency={args.graph_latency}"],
            env,
            ready="graph ready",
        )  # fmt: skip
        for name in ("web1", "web2"):
            gunicorn = [str(BIN / "gunicorn"), "pencet.wsgi:application", "-k", "gthread", "-w", "1", "--threads",
                        "8", "-b", f"{HOST}:{ports[name]}", "--log-level", "warning"]  # fmt: skip
            stack.start(name, gunicorn, env)
        for name in ("web1", "web2"):
            wait_http(f"http://{HOST}:{ports[name]}/healthz/")
        stats_file = folder / "lb.json"
        stack.start(
            "lb",
            [*me, "--lb-child", str(ports["lb"]), "--backends", f"{ports['web1']},{ports['web2']}", "--stats",
             str(stats_file)],
            env,
            ready="lb ready",
        )  # fmt: skip
        workers = [stack.start(f"worker{i}", [str(BIN / "pencet"), "worker"], env) for i in (1, 2)]
        time.sleep(3)  # the consumers connect to Redis and start their schedulers

        # The citizens: "halo", then a photo of their family card one second later (Meta's timestamps).
        citizens = []
        graph_url = f"http://{HOST}:{ports['graph']}"
        t0 = int(time.time())
        texts, photos, shas = [], [], {}
        for n in range(args.citizens):
            phone, user = f"6281{n:09d}", f"ID.{n:016d}"
            data = photo(n)
            request = urllib.request.Request(f"{graph_url}/_bench/media", data=data, headers={"X-Mime": "image/jpeg"})
            media_id = json.load(urllib.request.urlopen(request))["id"]
            shas[media_id] = hashlib.sha256(data).hexdigest()
            common = {"phone": phone, "user_id": user, "name": f"Warga {n}"}
            texts.append(json.dumps(wa_text(text="halo", timestamp=t0, **common)).encode())
            photos.append(
                json.dumps(
                    wa_image(media_id=media_id, sha256=media_sha256_b64(data), timestamp=t0 + 1, **common)
                ).encode()
            )
            citizens.append(phone)

        def post(bodies: list[bytes]):
            raw = [http_post(path="/whatsapp/webhook/", body=b, secret=secret) for b in bodies]
            return asyncio.run(
                one_phase(port=ports["lb"], requests=raw, concurrency=args.concurrency, max_seconds=300, keepalive=True)
            )

        def greeted() -> set[str]:
            sent = json.load(urllib.request.urlopen(f"{graph_url}/_bench/sent"))["sent"]
            return {m["to"] for m in sent if GREETING in m["text"]}

        db = psycopg.connect(f"{PG}/{database}", autocommit=True)

        def scalar(sql: str) -> float:
            return db.execute(sql).fetchone()[0]

        # Kill while the worker is busy: a quarter of the greetings sent, many still waiting in the queue, and the
        # worker inside a Graph call, best while its request travels (Meta does not have the message yet).
        arm = f"{graph_url}/_bench/kill?pid={workers[0].pid}&after={max(1, len(texts) // 4)}"
        urllib.request.urlopen(urllib.request.Request(arm, data=b"", method="POST")).read()
        # Burst 1: every citizen says "halo" at once (the morning rush after a broadcast).
        started = time.time()
        acks = post(texts)
        killed_at: float | None = None
        backup = None

        def killed_now() -> float:
            """The moment worker 1 died (at the stand-in's hand), then the backup starts while webhooks arrive."""
            nonlocal backup, handled_at_kill, first_turn
            workers[0].wait()
            killed = json.load(urllib.request.urlopen(f"{graph_url}/_bench/kill"))["killed"]
            figures["kill_calls_in_flight"] = killed["calls_in_flight"] if killed else 0
            handled_at_kill = int(scalar("SELECT count(*) FROM whatsapp_inboundmessage WHERE processed_at IS NOT NULL"))
            first_turn = scalar("SELECT extract(epoch FROM min(processed_at)) FROM whatsapp_inboundmessage")
            print(f"SIGKILL worker1 (pid {workers[0].pid}) with {handled_at_kill} messages handled", flush=True)
            backup = subprocess.Popen(
                [str(BIN / "pencet"), "backup", "--output", str(folder / "backup.tar.gz")], env=env, cwd=ROOT,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            return killed["at"] if killed else time.time()

        handled_at_kill, first_turn = 0, None
        # Then each citizen, once answered, sends the photo of a document (people wait for the bot's answer).
        photo_of = dict(zip(citizens, photos, strict=True))
        photos_sent: set[str] = set()
        deadline = time.time() + args.timeout
        first_idle_at = None
        while time.time() < deadline:
            if killed_at is None and workers[0].poll() is not None:
                killed_at = killed_now()
            elif killed_at is None and time.time() > started + 90:
                workers[0].send_signal(signal.SIGKILL)  # it never sent in time: killed anyway, between calls
                killed_at = killed_now()
            ready = sorted(greeted() - photos_sent)
            if ready:
                acks.add(post([photo_of[c] for c in ready]))
                photos_sent.update(ready)
            unprocessed = scalar("SELECT count(*) FROM whatsapp_webhookdelivery WHERE processed_at IS NULL")
            open_rows = scalar(
                "SELECT count(*) FROM whatsapp_outboundmessage WHERE status IN ('queued','sending','unknown')"
            )
            pending = json.load(urllib.request.urlopen(f"{graph_url}/_bench/sent"))["statuses_pending"]
            idle = queue.llen("huey.redis.pencet") == 0 and not ready
            settled = len(photos_sent) == len(citizens) and not unprocessed and not open_rows and not pending
            if settled and killed_at is not None:
                break
            if idle and killed_at is not None and first_idle_at is None and time.time() > killed_at + 2:
                first_idle_at = time.time()  # the backlog of the rush is gone; what follows is recovery
            time.sleep(0.3)
        done_at = time.time()
        if killed_at is None or backup is None:
            raise RuntimeError("worker 1 was never killed: the run timed out first")
        backup_out = backup.communicate(timeout=300)[0]
        if backup.returncode:
            failures.append(f"backup while webhooks arrive failed: {backup_out}")
        else:
            figures["backup_while_webhooks_arrive"] = backup_out.strip().splitlines()[-1]
            verify = subprocess.run(
                [str(BIN / "pencet"), "restore", "--verify-only", str(folder / "backup.tar.gz")], env=env, cwd=ROOT,
                capture_output=True, text=True,
            )  # fmt: skip
            if verify.returncode:
                failures.append(f"backup archive does not verify: {verify.stderr}")
        # Turns (greetings and photos) the surviving worker handled alone, until the rush's backlog was gone.
        until = first_idle_at or done_at
        alone = db.execute(
            "SELECT count(*), extract(epoch FROM max(processed_at)) FROM whatsapp_inboundmessage "
            "WHERE processed_at > to_timestamp(%s) AND processed_at <= to_timestamp(%s)",
            (killed_at, until),
        ).fetchone()

        # ----- checks -----
        log = json.load(urllib.request.urlopen(f"{graph_url}/_bench/sent"))
        sent = log["sent"]
        greetings = Counter(m["to"] for m in sent if GREETING in m["text"])
        not_greeted = [c for c in citizens if greetings[c] == 0]
        twice = [c for c in citizens if greetings[c] > 1]
        if not_greeted:
            failures.append(f"{len(not_greeted)} citizen(s) never greeted, e.g. {not_greeted[:3]}")
        if twice:
            failures.append(f"{len(twice)} citizen(s) greeted more than once, e.g. {twice[:3]}")
            for m in sent:
                if m["to"] == twice[0]:
                    failures.append(f"  to {m['to']} (row {m['callback']}): {m['text'][:90]!r}")
        per_row = Counter(m["callback"] for m in sent)
        duplicated = [row for row, n in per_row.items() if n > 1]
        if duplicated:
            failures.append(f"{len(duplicated)} outbound row(s) sent twice: {duplicated[:5]}")
        rows = dict(db.execute("SELECT status, count(*) FROM whatsapp_outboundmessage GROUP BY status").fetchall())
        stuck = {k: v for k, v in rows.items() if k in ("queued", "sending", "unknown", "failed")}
        if stuck:
            failures.append(f"outbox not settled: {stuck}")
        total_rows = sum(rows.values())
        if total_rows != len(per_row):
            failures.append(f"{total_rows} outbound rows but {len(per_row)} distinct sends at the Graph stand-in")
        # The sends the kill cut: never at Meta (must have gone out again, once) or accepted unanswered (the status
        # settled them: once). Both counted as Meta saw them.
        cut = {"never_reached_meta": log["dropped"], "accepted_but_unanswered": log["unanswered"]}
        for kind, callbacks in cut.items():
            wrong = [c for c in callbacks if per_row[c] != 1]
            if wrong:
                failures.append(f"{kind}: rows {wrong} reached Meta {[per_row[c] for c in wrong]} times, not once")
        figures["sends_cut_by_the_kill"] = {kind: len(callbacks) for kind, callbacks in cut.items()}
        figures["rows_sent_again"] = int(scalar("SELECT count(*) FROM whatsapp_outboundmessage WHERE attempts > 1"))
        deliveries = scalar("SELECT count(*) FROM whatsapp_webhookdelivery")
        unprocessed = scalar("SELECT count(*) FROM whatsapp_webhookdelivery WHERE processed_at IS NULL")
        inbound = scalar("SELECT count(*) FROM whatsapp_inboundmessage")
        if unprocessed:
            failures.append(f"{unprocessed} webhook deliveries never processed")
        if inbound != 2 * args.citizens:
            failures.append(f"{inbound} inbound messages stored, expected {2 * args.citizens}")
        media = db.execute("SELECT media_id, file, sha256 FROM whatsapp_media").fetchall()
        missing = []
        for media_id, key, sha in media:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read() if key else b""
            if not key or hashlib.sha256(body).hexdigest() != sha or media_id not in shas:
                missing.append(media_id)
        if len(media) != args.citizens or missing:
            failures.append(f"{len(media)} photos stored for {args.citizens} citizens; {len(missing)} not in S3")
        objects = sum(1 for _ in boto3.resource(
            "s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="bench",
            aws_secret_access_key="bench-secret").Bucket(bucket).objects.all())  # fmt: skip

        # What an operator's monitoring sees, through the balancer.
        ready = json.load(urllib.request.urlopen(f"{lb_url}/readyz/", timeout=10))
        if not ready["ready"]:
            failures.append(f"/readyz/ not ready: {ready}")
        scrape = urllib.request.Request(f"{lb_url}/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
        metrics = urllib.request.urlopen(scrape, timeout=30).read().decode()
        wanted = {
            "pencet_webhook_deliveries_received_total",
            "pencet_outbox_messages",
            "pencet_bot_reply_seconds_count",
            "pencet_request_duration_seconds_count",
            "pencet_queue_consumers_alive",
        }
        samples = [line.split() for line in metrics.splitlines() if line and not line.startswith("#")]
        present = {sample[0].split("{")[0] for sample in samples}
        values = {sample[0]: sample[-1] for sample in samples if "{" not in sample[0] and sample[0] in wanted}
        if wanted - present or float(values.get("pencet_queue_consumers_alive", 0)) < 1:
            failures.append(f"/metrics incomplete: missing {wanted - present}, {values}")
        figures["metrics"] = values
        stack.processes["lb"].terminate()
        stack.processes["lb"].wait(10)
        split = json.loads(stats_file.read_text()) if stats_file.exists() else {}
        acked = acks.sent - acks.failed
        figures.update(
            {
                "citizens": args.citizens,
                "webhooks_acknowledged": acked,
                "webhooks_failed": acks.failed,
                "webhooks_per_s_total": round(acked / acks.seconds, 1),
                "webhooks_per_s_per_web_process": round(acked / acks.seconds / 2, 1),
                "ack_p50_ms": round(acks.pct(0.5), 1),
                "ack_p99_ms": round(acks.pct(0.99), 1),
                "lb_connections_per_backend": split,
                "deliveries_stored": deliveries,
                "status_webhooks": deliveries - 2 * args.citizens,
                "bot_turns": inbound,
                "bot_turns_per_s_per_worker_two_alive": round(
                    handled_at_kill / max(0.001, killed_at - float(first_turn)) / 2, 2
                ),
                "bot_turns_per_s_one_worker_after_kill": round(
                    alone[0] / max(0.001, float(alone[1] or killed_at) - killed_at), 2
                ),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "outbound_messages": total_rows,
                "outbound_by_status": rows,
                "s3_objects": objects,
                "recovery_seconds_after_kill": round(done_at - killed_at, 1),
                "seconds_total": round(done_at - started, 1),
            }
        )
    finally:
        stack.stop()
        queue.flushdb()
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
    print(json.dumps(figures, indent=1, default=str))
    if os.environ.get("BENCH_FIGURES"):  # one JSON line per run, for the tables in docs/ and bench/README.md
        with open(os.environ["BENCH_FIGURES"], "a") as out:
            out.write(json.dumps({**figures, "failures": failures}, default=str) + "\n")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        print(f"logs in {folder}")
        return 1
    print("OK: every citizen greeted exactly once, every outbound row sent once, all photos in S3")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16, help="client connections through the balancer")
    parser.add_argument("--threads", type=int, default=4, help="consumer threads per worker (PENCET_WORKERS)")
    parser.add_argument("--timeout", type=float, default=400, help="seconds to wait for everything to settle")
    parser.add_argument(
        "--graph-latency", type=float, default=0.2, help="seconds a send takes at the Graph stand-in (Meta: 0.1-0.5)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--graph-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--lb-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    parser.add_argument("--webhook", help=argparse.SUPPRESS)
    parser.add_argument("--latency", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--backends", help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.graph_child:
        graph_child(
            port=args.graph_child, token=args.token, webhook_url=args.webhook, secret=args.secret, latency=args.latency
        )
        return 0
    if args.lb_child:
        lb_child(port=args.lb_child, backends=[int(p) for p in args.backends.split(",")], stats=args.stats)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
