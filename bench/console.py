"""Console pages and the API list over an office's real volume (issue 15, points 4 and 5).

    .venv/bin/python bench/console.py                                   # SQLite, 100,000 applications
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench \\
        .venv/bin/python bench/console.py                               # PostgreSQL, 1,000,000 applications

One run: a fresh database (SQLite: var/console-bench/pencet.sqlite3 under this checkout; PostgreSQL: the database
in DATABASE_URL, dropped and created again, so its name must contain "bench"), migrated, with Sinjai's regions, the
catalogue, one office and its staff (one persona per role). bench/console_data.py writes the office's history:
`--applications` applications over two years (drafts, every open state, closed ones), their attachments, events,
review verdicts, running stage timers and daily report aggregates. The planner statistics are then refreshed as in
production (SQLite: the ANALYZE that runs after migrations; PostgreSQL: VACUUM ANALYZE, what autovacuum does).

gunicorn then starts as deploy/pencet-web.service runs it (gthread), with PENCET_DEBUG off and every security
setting as shipped. Each persona logs in through the console's own login path: password, then the authenticator
enrolment page, whose secret the benchmark reads and answers with the current TOTP code, as an authenticator app
would. (Session and CSRF cookies are marked Secure; the benchmark's client sends them back over loopback HTTP, as
nginx's TLS termination would make a browser do.) The API uses a bearer token made with the service behind
`pencet api-token`. One keep-alive connection per persona; each page is requested `--requests` times after
`--warmup` unmeasured ones, rotating over different applications, names, NIKs and codes. Prints median and p90 per
page against the targets (150 ms median, 300 ms p90; exact code/NIK search 20 ms), the RSS of every web process
after all requests (target ≤ 200 MB after 1,000), and the machine: cores, load average at start and end, and the
busiest other processes. `--reuse` keeps a database generated before (migrating it) instead of generating again.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from base64 import b32decode
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.webhook import BIN, HOST, free_port, machine, postgres_recreate, server_env, wait_until_up  # noqa: E402

PASSWORD = "bench-" + secrets.token_urlsafe(12)
PERSONAS = {
    # key: (username, roles)
    "petugas": ("sari", ["petugas_layanan"]),
    "operator": ("budi", ["operator_siak"]),
    "verifier": ("citra", ["verifikator"]),
    "signer": ("dewi", ["penandatangan"]),
    "leader": ("eka", ["pimpinan"]),
    "village": ("fajar", ["aparat_desa"]),
    "admin": ("gita", ["admin"]),
}
API = "/api/v1/applications"
TARGET_MEDIAN, TARGET_P90, TARGET_EXACT = 150.0, 300.0, 20.0


class Client:
    """One keep-alive HTTP/1.1 connection with its cookies, like one browser tab."""

    def __init__(self, port: int, bearer: str = "", timeout: float = 120) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.bearer = bearer

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str, float]:
        headers = {"Host": HOST, "User-Agent": "pencet-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn closes a connection idle for 2 s (its --keep-alive); a browser opens a new one.
                self.conn.close()
                if attempt == 2:
                    raise
        elapsed = (time.perf_counter() - started) * 1000
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), text, elapsed

    def get(self, path: str) -> tuple[int, str, float]:
        status, _, text, elapsed = self.request("GET", path)
        return status, text, elapsed


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def login(client: Client, username: str) -> None:
    """Password, then the enrolment page's secret answered with the current code (the production path)."""
    from django_otp.oath import TOTP

    _, page, _ = client.get("/masuk/")
    status, headers, _, _ = client.request(
        "POST", "/masuk/", {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": PASSWORD, "next": "/"}
    )
    if status != 302 or "autentikator" not in headers.get("Location", ""):
        sys.exit(f"login of {username}: expected the authenticator enrolment, got {status} {headers.get('Location')}")
    _, page, _ = client.get(headers["Location"])
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{TOTP(key, step=30, digits=6).token():06d}"
    status, headers, _, _ = client.request(
        "POST", "/masuk/autentikator/?next=/", {"csrfmiddlewaretoken": _csrf(page), "code": code, "next": "/"}
    )
    status_home, _, _ = client.get("/")
    if status != 302 or status_home != 200:
        sys.exit(f"login of {username}: code not accepted ({status}), home answered {status_home}")


def setup(*, applications: int, reuse: bool) -> dict:
    """Migrate, seed and generate (unless reused); answers the samples the pages rotate over."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.console_data import office_history_generate
    from pencet.accounts.models import Office, User
    from pencet.accounts.services import api_token_create, office_hours_seed, user_create
    from pencet.cases.models import Application, Attachment, Event
    from pencet.cases.planner import planner_statistics_refresh
    from pencet.catalog.services import catalog_seed
    from pencet.regions.models import Region
    from pencet.regions.services import region_import

    call_command("migrate", verbosity=0)
    office = Office.objects.filter(code="SNJ").first()
    if office is None or not reuse:
        region_import(prefix="73.07")
        catalog_seed()
        office = Office.objects.create(name="Disdukcapil Kabupaten Sinjai", code="SNJ", regency_id="73.07")
        office_hours_seed(office=office)
    villages = list(Region.objects.filter(code__startswith="73.07.01.", level=4).values_list("pk", flat=True))
    users = {}
    for key, (username, roles) in PERSONAS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, office=office, roles=roles, password=PASSWORD, villages=villages * (key == "village")
            )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        users[key] = user
    # Every run enrols each persona's authenticator afresh, through the console (see login()).
    TOTPDevice.objects.filter(user__in=users.values()).delete()
    if not Application.objects.exists():
        print(f"generating {applications:,} applications …", flush=True)
        made = office_history_generate(office=office, users=users, village_staff_villages=villages, count=applications)
        print(
            f"generated {made.applications:,} applications, {made.attachments:,} attachments, {made.events:,} events, "
            f"{made.timers:,} running stage timers, {made.daily_stats:,} daily aggregates in {made.seconds:.0f} s",
            flush=True,
        )
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            planner_statistics_refresh(full=True)
        print(f"planner statistics refreshed in {time.perf_counter() - started:.0f} s", flush=True)
    elif connection.vendor == "postgresql":
        # Indexes a migration just built have no statistics for their expressions until the next ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = (Application.objects.count(), Attachment.objects.count(), Event.objects.count())
    print(f"database holds {counts[0]:,} applications, {counts[1]:,} attachments, {counts[2]:,} events", flush=True)
    rng = random.Random(4)
    pick = lambda qs, n=40: [x for x in qs.order_by("?")[:n]]  # noqa: E731
    samples = {
        "submitted": pick(Application.objects.filter(status="submitted").values_list("tracking_code", flat=True)),
        "closed": pick(Application.objects.filter(status="picked_up").values_list("tracking_code", flat=True)),
        "codes": pick(Application.objects.exclude(status="draft").values_list("tracking_code", flat=True)),
        "niks": pick(Application.objects.exclude(status="draft").values_list("nik", flat=True)),
        "phones": [p[:8] for p in pick(Application.objects.values_list("phone", flat=True))],
        "names": ["Sari", "Baso", "hasnah", "Andi Rahman", "Nur Hayati", "Ilham", "Rini Latif", "Yunus"],
        "villages": pick(Region.objects.filter(code__startswith="73.07.", level=4).values_list("code", flat=True)),
        "token_admin": api_token_create(user=users["admin"], name="bench")[1],
        "token_petugas": api_token_create(user=users["petugas"], name="bench")[1],
    }
    rng.shuffle(samples["names"])
    return samples


def pages(samples: dict) -> list[tuple[str, str, object, bool]]:
    """(label, persona, path or function of the iteration, exact lookup?)."""

    def rot(key: str, fmt: str = "{}"):  # noqa: ANN202
        return lambda i: fmt.format(urllib.parse.quote(str(samples[key][i % len(samples[key])])))

    out = [
        ("home (petugas)", "petugas", "/", False),
        ("home (operator)", "operator", "/", False),
        ("home (admin)", "admin", "/", False),
        ("home (pimpinan)", "leader", "/", False),
        ("home (aparat desa)", "village", "/", False),
        ("queue counts partial (petugas)", "petugas", "/antrean/jumlah/", False),
        ("overdue (petugas)", "petugas", "/antrean/terlambat/", False),
        ("overdue (admin)", "admin", "/antrean/terlambat/", False),
    ]
    for key, persona in (
        ("submitted", "petugas"), ("returned", "petugas"), ("awaiting_decision", "signer"), ("accepted", "operator"),
        ("in_process_mine", "operator"), ("in_process", "operator"), ("awaiting_verification", "verifier"),
        ("awaiting_signature", "signer"), ("ready", "petugas"),
    ):  # fmt: skip
        out.append((f"queue {key}", persona, f"/antrean/{key}/", False))
    out += [
        ("queue ready, page 10", "petugas", "/antrean/ready/?halaman=10", False),
        ("queue returned (aparat desa)", "village", "/antrean/returned/", False),
        ("queue ready (admin)", "admin", "/antrean/ready/", False),
        ("sign list (signer)", "signer", "/tanda-tangan/", False),
        ("search exact tracking code", "petugas", rot("codes", "/cari/?q={}"), True),
        ("search exact NIK", "petugas", rot("niks", "/cari/?q={}"), True),
        ("search name", "petugas", rot("names", "/cari/?q={}"), False),
        ("search phone start", "petugas", rot("phones", "/cari/?q={}"), False),
        ("search name (aparat desa)", "village", rot("names", "/cari/?q={}"), False),
        ("review page (submitted)", "petugas", rot("submitted", "/permohonan/{}/"), False),
        ("application page (closed, admin)", "admin", rot("closed", "/permohonan/{}/"), False),
        ("API list", "api", "/api/v1/applications", False),
        ("API list status=submitted", "api", "/api/v1/applications?status=submitted", False),
        ("API list status=ready&status=returned", "api", "/api/v1/applications?status=ready&status=returned", False),
        ("API list service=akta-kelahiran", "api", "/api/v1/applications?service=akta-kelahiran", False),
        ("API list channel=walk_in", "api", "/api/v1/applications?channel=walk_in", False),
        ("API list village", "api", rot("villages", "/api/v1/applications?village={}"), False),
        ("API list submitted one month", "api", f"{API}?submitted_from=2026-06-01&submitted_to=2026-06-30", False),
        ("API list overdue", "api", "/api/v1/applications?overdue=true", False),
        ("API list due_soon", "api", "/api/v1/applications?due_soon=true", False),
        ("API list offset=5000", "api", "/api/v1/applications?offset=5000", False),
        ("API list q=exact code", "api", rot("codes", "/api/v1/applications?q={}"), True),
        ("API list q=exact NIK", "api", rot("niks", "/api/v1/applications?q={}"), True),
        ("API list q=name", "api", rot("names", "/api/v1/applications?q={}"), False),
        ("API list limit=200", "api", "/api/v1/applications?limit=200", False),
        ("API detail", "api", rot("closed", "/api/v1/applications/{}"), False),
        ("reports dashboard (month)", "leader", "/laporan/", False),
        ("reports dashboard (day)", "leader", "/laporan/?periode=day", False),
        ("reports dashboard (year)", "leader", "/laporan/?periode=year", False),
        ("reports register", "leader", "/laporan/register/", False),
        ("complaints", "admin", "/pengaduan/", False),
        ("survey report", "leader", "/survei/", False),
        ("access log (admin)", "admin", "/akses/", False),
    ]  # fmt: skip
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p) - 1))]


def postgres_backends() -> list[int]:
    """The PostgreSQL server processes serving this benchmark's database (their CPU is the page's too)."""
    name = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
    if not name:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f" {name} ".encode() in (entry / "cmdline").read_bytes().replace(b"\0", b" "):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def rss_of_workers(server: subprocess.Popen) -> list[tuple[int, float]]:
    """(pid, MB) of the gunicorn master's worker processes."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server.pid):
            found.append((int(entry.name), int(fields["VmRSS"].split()[0]) / 1024))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each of these processes so far (a page's own cost, whatever else the machine does)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings; a process started in between counts whole (a database connection opened)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def busiest_processes() -> str:
    done = subprocess.run(
        ["ps", "-eo", "pcpu,etimes,comm", "--sort=-pcpu", "--no-headers"], capture_output=True, text=True, check=False
    )
    rows = [line.split(None, 2) for line in done.stdout.splitlines()[:6]]
    return ", ".join(f"{r[2]} {r[0]} %" for r in rows if len(r) == 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    database_url = os.environ.get("DATABASE_URL", "")
    parser.add_argument("--applications", type=int, default=1_000_000 if database_url else 100_000)
    # 21 measured + 2 warm-up requests on each of the 50 pages, and the logins: about 1,185 in all, so the RSS is
    # judged after the 1,000 requests the target names.
    parser.add_argument("--requests", type=int, default=21, help="measured requests per page (default 21)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page first")
    parser.add_argument("--page-seconds", type=float, default=20, help="stop a page after this once 5 are measured")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request counts as failed")
    parser.add_argument("--only", help="only the pages whose label contains this (or one of these, comma-separated)")
    parser.add_argument("--skip", help="leave out the pages whose label contains this (or one of these)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "console-bench"))
    parser.add_argument(
        "--reuse", action="store_true", help="time the database a --keep run left (migrated; never dropped)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for --reuse)")
    args = parser.parse_args()
    # A reused database took minutes to generate (27 at 1,000,000 under load): timing it never drops it.
    args.keep = args.keep or args.reuse

    var_dir = Path(args.var_dir)
    if not args.reuse:
        if database_url:
            postgres_recreate(database_url)
        shutil.rmtree(var_dir, ignore_errors=True)
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    env = server_env(var_dir=var_dir, queue="sqlite" if not database_url else "redis", redis_url="redis://127.0.0.1:6379/14",
                     app_secret=secrets.token_urlsafe(24))  # fmt: skip
    if database_url:
        env["DATABASE_URL"] = database_url
    os.environ.clear()
    os.environ.update(env)
    print(machine())
    print(f"busiest processes at the start: {busiest_processes()}")
    print(f"database: {'PostgreSQL ' + database_url if database_url else 'SQLite in ' + str(var_dir)}", flush=True)
    samples = setup(applications=args.applications, reuse=args.reuse)
    from django.db import connections

    connections.close_all()

    port = free_port()
    command = [
        str(BIN / "gunicorn"), "pencet.wsgi:application", f"--bind={HOST}:{port}", f"--workers={args.workers}",
        "--worker-class=gthread", f"--threads={args.threads}", f"--timeout={args.timeout + 30:.0f}",
    ]  # fmt: skip
    log = (var_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    results = []
    total = 0
    try:
        wait_until_up(port=port, server=server)
        print(f"server: {' '.join(command[1:])} (pid {server.pid})", flush=True)
        clients = {key: Client(port, timeout=args.timeout) for key in PERSONAS}
        for key, client in clients.items():
            login(client, PERSONAS[key][0])
            total += 5
        clients["api"] = Client(port, bearer=samples["token_admin"], timeout=args.timeout)
        rss_start = ", ".join(f"pid {p} {mb:.0f} MB" for p, mb in rss_of_workers(server))
        load_start = os.getloadavg()
        print(f"load average before the timings: {load_start[0]:.1f} {load_start[1]:.1f} {load_start[2]:.1f}\n")
        print(
            "| page | n | median ms | p90 ms | max ms | CPU ms/request | status | target | requests so far "
            "| largest worker RSS MB |\n|---|---:|---:|---:|---:|---:|---|---|---:|---:|",
            flush=True,
        )
        for label, persona, path, exact in pages(samples):
            if args.only and not any(part in label for part in args.only.split(",")):
                continue
            if args.skip and any(part in label for part in args.skip.split(",")):
                continue
            times, statuses = [], set()
            workers = [pid for pid, _ in rss_of_workers(server)] + postgres_backends()
            cpu_before, served_before = cpu_seconds(workers), total
            budget = time.monotonic() + args.page_seconds
            for i in range(args.warmup + args.requests):
                url = path(i) if callable(path) else path
                try:
                    status, _, elapsed = clients[persona].get(url)
                except TimeoutError:
                    clients[persona].conn.close()
                    status, elapsed = 0, args.timeout * 1000
                total += 1
                statuses.add(status)
                if i >= args.warmup or elapsed > args.page_seconds * 1000:
                    times.append(elapsed)
                if (len(times) >= 5 or elapsed > args.page_seconds * 1000) and time.monotonic() > budget:
                    break  # a page this slow is measured a few times only
            median, p90 = statistics.median(times), pct(times, 0.9)
            limit = (TARGET_EXACT, TARGET_EXACT) if exact else (TARGET_MEDIAN, TARGET_P90)
            met = median <= limit[0] and p90 <= limit[1] and statuses <= {200, 302}
            goal = f"≤ {limit[0]:.0f} median" + ("" if exact else f", ≤ {limit[1]:.0f} p90")
            results.append((label, met))
            workers = [pid for pid, _ in rss_of_workers(server)] + postgres_backends()
            cpu_ms = cpu_spent(cpu_before, cpu_seconds(workers)) * 1000 / max(1, total - served_before)
            worker_mb = max((mb for _, mb in rss_of_workers(server)), default=0)
            verdict = f"{'met' if met else 'MISSED'} ({goal})"
            print(
                f"| {label} | {len(times)} | {median:.1f} | {p90:.1f} | {max(times):.1f} | {cpu_ms:.1f} "
                f"| {'/'.join(map(str, sorted(statuses)))} | {verdict} | {total} | {worker_mb:.0f} |",
                flush=True,
            )
        rss = rss_of_workers(server)
        print(f"\nworker RSS after start and the logins: {rss_start}")
        print(f"\nrequests served: {total}; web worker RSS: " + ", ".join(f"pid {p} {mb:.0f} MB" for p, mb in rss))
        worst = max((mb for _, mb in rss), default=0)
        if total < 1000:
            rss_verdict = f"not judged: {total} requests, fewer than 1,000 (largest worker {worst:.0f} MB)"
        else:
            rss_verdict = f"{'met' if worst <= 200 else 'MISSED'} (largest worker {worst:.0f} MB after {total})"
        print(f"RSS target (≤ 200 MB after 1,000 requests): {rss_verdict}")
        missed = [label for label, met in results if not met]
        print(f"pages meeting the target: {len(results) - len(missed)} of {len(results)}; missed: {', '.join(missed)}")
        end = os.getloadavg()
        print(f"load average at the end: {end[0]:.1f} {end[1]:.1f} {end[2]:.1f}")
        print(f"busiest processes at the end: {busiest_processes()}")
        return 0 if not missed else 1
    finally:
        workers = [pid for pid, _ in rss_of_workers(server)]
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pid in workers:  # a worker still inside a minute-long request outlives its killed master
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
        if not args.keep:
            if database_url:
                postgres_recreate(database_url, drop_only=True)
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
