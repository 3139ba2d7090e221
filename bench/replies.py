"""Time from a citizen's signed webhook POST to the bot's first and last message of its turn (issue 15, point 2).

    .venv/bin/python bench/replies.py                                   # SQLite + SqliteHuey
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pencet_bench \\
        .venv/bin/python bench/replies.py                               # PostgreSQL + RedisHuey

One run: a fresh database (a temporary folder for SQLite; for PostgreSQL the database named in DATABASE_URL,
which must contain "bench" because it is dropped and created again), migrated and seeded with the demo office
(`pencet seed-demo`: regions, catalogue, the office's WhatsApp number). The Graph stand-in (the FakeGraph of
`pencet fake-graph`) runs in this process on a loopback port and notes the moment each send reaches it. The server
runs as in production, with production pacing (WHATSAPP_PAIR_INTERVAL_SECONDS=6, WHATSAPP_PAIR_BURST=45) and
PENCET_DEBUG off: gunicorn (gthread) plus `pencet worker`, or `pencet serve` (waitress with its consumer) with
--server serve.

Each round waits until the office has been idle for --idle seconds (the consumer's idle back-off at its longest),
then N new citizens POST their first message at the same moment, and the round ends when every citizen has an
answer and nothing more was sent for --quiet seconds. The first and the last message sent to each citizen after
their POST give the two figures. Prints p50/p99/max per level (1, 10, 50 citizens at once by default), the
machine and how busy it was, by us and by other processes. Stops the server and removes what it created.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.webhook import (  # noqa: E402
    HOST,
    NAMES,
    free_port,
    machine,
    pencet,
    postgres_recreate,
    server_env,
    wait_until_up,
)
from pencet.whatsapp.fakegraph import FakeGraph  # noqa: E402
from pencet.whatsapp.fakegraph_server import serve_in_thread  # noqa: E402
from pencet.whatsapp.payloads import (  # noqa: E402
    signature_header,
    wa_button_reply,
    wa_list_reply,
    wa_text,
)

BIN = Path(sys.executable).parent
TOKEN = "bench-access-token"
# First messages of citizens who have never written before, as they are typed.
FIRST_MESSAGES = [
    "halo",
    "Selamat pagi",
    "mau bikin akta lahir anak saya",
    "Assalamualaikum, ktp saya hilang",
    "kk saya rusak",
    "P",
    "menu",
    "Bagaimana cara urus akta kematian?",
]


class Recorder:
    """Moments (time.perf_counter of this process) at which the stand-in accepted a send, per recipient."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sends: dict[str, list[float]] = {}
        self.bodies: dict[str, list[dict]] = {}
        self.last_send = 0.0

    def __call__(self, phone_number_id: str, body: dict, wamid: str) -> None:
        now = time.perf_counter()
        recipient = body.get("to") or body.get("recipient") or ""
        with self.lock:
            self.sends.setdefault(recipient, []).append(now)
            self.bodies.setdefault(recipient, []).append(body)
            self.last_send = now


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p) - 1))]


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def tree_jiffies(root: int) -> int:
    """CPU (user + system jiffies) used so far by `root` and every process below it."""
    children: dict[int, list[int]] = {}
    used: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        rest = stat.rsplit(")", 1)[1].split()
        pid = int(entry)
        children.setdefault(int(rest[1]), []).append(pid)
        used[pid] = int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class Load:
    """How busy the cores were during one round: by this benchmark (load generator, stand-in, server, consumer)
    and by everything else on the machine."""

    def __init__(self) -> None:
        self.busy, self.total = cpu_jiffies()
        self.ours = tree_jiffies(os.getpid())
        self.mine = _own_seconds()
        self.loadavg = os.getloadavg()[0]

    def measure(self) -> tuple[float, float, float, float, float]:
        """(machine busy, this benchmark's share, load average at the start) as fractions of all cores, the CPU
        seconds this benchmark's processes used, and of them this process's (load generator and stand-in)."""
        busy, total = cpu_jiffies()
        span = max(1, total - self.total)
        ours = tree_jiffies(os.getpid()) - self.ours
        tick = os.sysconf("SC_CLK_TCK")
        return (busy - self.busy) / span, ours / span, self.loadavg, ours / tick, _own_seconds() - self.mine

    @staticmethod
    def summary(loads: list[tuple[float, float, float, float, float]], turns: int) -> str:
        busy = sum(b for b, *_ in loads) / len(loads)
        ours = sum(o for _, o, *_ in loads) / len(loads)
        averages = [a for _, _, a, *_ in loads]
        seconds = sum(s for *_, s, _ in loads)
        bench = sum(m for *_, m in loads)
        per_turn = 1000 / max(1, turns)
        return (
            f"CPU busy {busy:.0%} of {os.cpu_count()} cores: this benchmark {ours:.0%}, other processes "
            f"{max(0.0, busy - ours):.0%}; load average {min(averages):.1f}–{max(averages):.1f}\n"
            f"  CPU per turn: {seconds * per_turn:.0f} ms (gunicorn, consumer, Graph stand-in and load generator "
            f"together; PostgreSQL and Redis not included), of which the load generator and the Graph stand-in "
            f"{bench * per_turn:.0f} ms"
        )


def _own_seconds() -> float:
    """CPU seconds of this process (the load generator and the Graph stand-in's threads)."""
    times = os.times()
    return times.user + times.system


def post(*, port: int, body: bytes, secret: str) -> int:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/whatsapp/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature_header(body, secret)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


class Citizen:
    """A citizen who keeps the conversation going: first a message as typed, then a tap on one of the options the
    bot last offered (a list row or a button), or "menu" when it offered none."""

    def __init__(self, rng: random.Random) -> None:
        number = rng.randrange(10**9, 10**10)
        self.rng = rng
        self.phone = f"628{number}"
        self.user_id = f"ID.{number:016d}"
        self.name = rng.choice(NAMES)

    def next_message(self, received: list[dict]) -> bytes:
        who = {"phone": self.phone, "user_id": self.user_id, "name": self.name}
        interactive = (received[-1].get("interactive") or {}) if received else {}
        if interactive.get("type") == "list":
            row = self.rng.choice([r for s in interactive["action"]["sections"] for r in s["rows"]])
            payload = wa_list_reply(reply_id=row["id"], title=row["title"], **who)
        elif interactive.get("type") == "button":
            button = self.rng.choice(interactive["action"]["buttons"])["reply"]
            payload = wa_button_reply(reply_id=button["id"], title=button["title"], **who)
        else:
            payload = wa_text(text=self.rng.choice(FIRST_MESSAGES) if not received else "menu", **who)
        return json.dumps(payload, separators=(",", ":")).encode()


def one_round(
    *, port: int, secret: str, recorder: Recorder, people: list[Citizen], quiet: float, timeout: float
) -> tuple[list[float], list[float], list[int]]:
    """Every citizen writes at the same moment; returns the seconds to each one's first reply and to the last
    message of the turn, and the number of messages of each turn."""
    with recorder.lock:
        bodies = {c.phone: c.next_message(recorder.bodies.get(c.phone, [])) for c in people}
    posted: dict[str, float] = {}
    statuses: list[int] = []
    barrier = threading.Barrier(len(people))

    def write(phone: str) -> None:
        barrier.wait()
        posted[phone] = time.perf_counter()
        try:
            statuses.append(post(port=port, body=bodies[phone], secret=secret))
        except OSError:
            statuses.append(0)

    threads = [threading.Thread(target=write, args=(c.phone,)) for c in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(status != 200 for status in statuses):
        sys.exit(f"a webhook POST was not acknowledged: {statuses}")
    deadline = time.perf_counter() + timeout

    def turn(phone: str) -> list[float]:
        return [t for t in recorder.sends.get(phone, []) if t >= posted[phone]]

    while time.perf_counter() < deadline:
        with recorder.lock:
            answered = sum(1 for c in people if turn(c.phone))
            silent_for = time.perf_counter() - recorder.last_send
        if answered == len(people) and silent_for >= quiet:
            break
        time.sleep(0.05)
    first, last, sizes = [], [], []
    with recorder.lock:
        for citizen in people:
            moments = turn(citizen.phone)
            sizes.append(len(moments))
            if moments:
                first.append(moments[0] - posted[citizen.phone])
                last.append(moments[-1] - posted[citizen.phone])
    return first, last, sizes


def wait_idle(*, recorder: Recorder, idle: float) -> None:
    """Until nothing was sent for `idle` seconds (and so no task ran: every task of a round ends in a send)."""
    while True:
        with recorder.lock:
            silent_for = time.perf_counter() - recorder.last_send
        if silent_for >= idle:
            return
        time.sleep(min(1.0, idle - silent_for))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, nargs="+", default=[1, 10, 50], help="citizens at once per level")
    parser.add_argument("--rounds", type=int, nargs="+", default=[10, 5, 3], help="rounds per level (one per level)")
    parser.add_argument("--idle", type=float, default=11.0, help="seconds of idle office before each round")
    parser.add_argument("--quiet", type=float, default=3.0, help="a round ends this long after the last send")
    parser.add_argument("--timeout", type=float, default=60.0, help="longest a round waits for its answers")
    parser.add_argument("--server", choices=["gunicorn", "serve"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--consumer-workers", type=int, default=2, help="Huey workers (PENCET_WORKERS)")
    parser.add_argument("--consumer-type", choices=["thread", "process"], help="PENCET_WORKER_TYPE (default: settings)")
    parser.add_argument("--queue", choices=["sqlite", "redis", "postgres"], help="default: redis with DATABASE_URL")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15", help="queue for --queue redis")
    parser.add_argument("--port", type=int, default=0, help="loopback port for the server (default: a free one)")
    parser.add_argument("--var-dir", help="folder for SQLite files and logs (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database and folder afterwards")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rounds = (args.rounds + [args.rounds[-1]] * len(args.citizens))[: len(args.citizens)]

    database_url = os.environ.get("DATABASE_URL", "")
    queue = args.queue or ("redis" if database_url else "sqlite")
    var_dir = Path(args.var_dir or tempfile.mkdtemp(prefix="pencet-replies-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "static").mkdir(exist_ok=True)
    port = args.port or free_port()
    recorder = Recorder()
    graph = FakeGraph(token=TOKEN, on_send=recorder)
    graph_server = serve_in_thread(graph)
    app_secret = secrets.token_urlsafe(24)
    env = server_env(
        var_dir=var_dir,
        queue=queue,
        redis_url=args.redis_url,
        app_secret=app_secret,
        PENCET_WORKERS=str(args.consumer_workers),
        **({"PENCET_WORKER_TYPE": args.consumer_type} if args.consumer_type else {}),
        PENCET_PORT=str(port),
        WHATSAPP_API_URL=graph_server.url,
        WHATSAPP_ACCESS_TOKEN=TOKEN,
    )
    processes: list[subprocess.Popen] = []
    log = (var_dir / "server.log").open("w")
    print(machine())
    try:
        if database_url:
            postgres_recreate(database_url)
        print(f"database: {'PostgreSQL ' + database_url if database_url else 'SQLite in ' + str(var_dir)}")
        print(f"queue: {queue}; migrating and seeding the demo office …", flush=True)
        pencet(env, "migrate", "--noinput", "-v", "0")
        pencet(env, "seed-demo")
        pacing = pencet(
            env,
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.WHATSAPP_PAIR_INTERVAL_SECONDS, s.WHATSAPP_PAIR_BURST,"
            " s.HUEY['consumer'])",
        )
        print(f"pacing (interval s, burst) and consumer: {pacing.splitlines()[-1]}")
        if args.server == "serve":
            commands = [[str(BIN / "pencet"), "serve", f"--port={port}", f"--threads={args.workers * args.threads}"]]
        else:
            commands = [
                [
                    str(BIN / "gunicorn"),
                    "pencet.wsgi:application",
                    f"--bind={HOST}:{port}",
                    f"--workers={args.workers}",
                    "--worker-class=gthread",
                    f"--threads={args.threads}",
                ],
                [str(BIN / "pencet"), "worker"],
            ]
        for command in commands:
            # A session of its own: the server's children (gunicorn workers, serve's consumer) are stopped with it.
            started = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            processes.append(started)
            print(f"started: {Path(command[0]).name} {' '.join(command[1:])}", flush=True)
        wait_until_up(port=port, server=processes[0])
        # One unmeasured citizen: imports and connections are warm, as in an office that has been running.
        rng = random.Random(args.seed)
        one_round(port=port, secret=app_secret, recorder=recorder, people=[Citizen(rng)], quiet=1.0, timeout=60)

        print(f"\n{HEADER}\n|" + "---:|" * 10, flush=True)
        results = []
        for citizens, count in zip(args.citizens, rounds, strict=True):
            people = [Citizen(rng) for _ in range(citizens)]
            firsts: list[float] = []
            lasts: list[float] = []
            sizes: list[int] = []
            loads = []
            for _ in range(count):
                wait_idle(recorder=recorder, idle=args.idle)
                load = Load()
                first, last, size = one_round(
                    port=port,
                    secret=app_secret,
                    recorder=recorder,
                    people=people,
                    quiet=args.quiet,
                    timeout=args.timeout,
                )
                loads.append(load.measure())
                firsts += first
                lasts += last
                sizes += size
            missing = sizes.count(0)
            results.append((citizens, firsts, lasts, missing))
            print(
                f"| {citizens} | {count} | {len(firsts)} | {sum(sizes) / len(sizes):.1f} | {max(sizes)} "
                f"| {pct(firsts, 0.5) * 1000:.0f} | {pct(firsts, 0.99) * 1000:.0f} | {pct(lasts, 0.5) * 1000:.0f} "
                f"| {pct(lasts, 0.99) * 1000:.0f} | {missing} |",
                flush=True,
            )
            print(f"  during the rounds: {Load.summary(loads, turns=len(sizes))}", flush=True)
        verdict(results)
        return 0 if all(not missing for *_, missing in results) else 1
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        graph_server.stop()
        if not args.keep:
            if database_url:
                postgres_recreate(database_url, drop_only=True)
            shutil.rmtree(var_dir, ignore_errors=True)


HEADER = (
    "| citizens at once | rounds | turns | messages per turn | most in a turn | first reply p50 ms "
    "| first reply p99 ms | last message p50 ms | last message p99 ms | unanswered |"
)


def verdict(results: list[tuple[int, list[float], list[float], int]]) -> None:
    """Targets: first reply p99 ≤ 1 s at every level (each round starts from an idle office); last message of a
    turn p99 ≤ 1.5 s with 50 citizens at once."""
    first_ok = all(pct(firsts, 0.99) <= 1.0 and not missing for _, firsts, _, missing in results)
    fifty = [lasts for citizens, _, lasts, _ in results if citizens >= 50]
    last_ok = bool(fifty) and all(pct(lasts, 0.99) <= 1.5 for lasts in fifty)
    print(f"first reply p99 ≤ 1 s at every level, idle office: {'MET' if first_ok else 'NOT MET'}")
    print(
        "last message of a turn p99 ≤ 1.5 s with 50 citizens: "
        + ("MET" if last_ok else "NOT MET" if fifty else "not measured (no level with 50 citizens)")
    )


if __name__ == "__main__":
    raise SystemExit(main())
