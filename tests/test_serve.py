"""`pencet serve`: the web server and a Huey consumer beside it, stopped together."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from . import dbcache

# Each test starts real processes that import Django: seconds each, scheduled first (tests/conftest.py), all on
# one worker so that the database `pencet migrate` makes is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

PENCET = [sys.executable, "-c", "import sys; from pencet.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    # Each thread lists the children it started; the consumer is restarted from a watcher thread.
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: its parent simply has not collected it yet.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "PENCET_TESTING")}
    env.update(
        PENCET_VAR_DIR=str(var_dir),
        # One static folder for every server of this worker's run, as an office's one installation keeps: each
        # start compresses only what changed (pencet/ops/staticfiles.py), not all of it again.
        PENCET_STATIC_ROOT=str(var_dir.parent / "static"),
        PENCET_SIMULATOR="1",
        PENCET_OTP_REQUIRED="0",
        PENCET_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, django_db_setup) -> Path:
    """A migrated database in a new folder, made once for the tests of this module: the suite's kept test database
    (what migrate made, with the reference data: tests/dbcache.py) when there is one, else `pencet migrate`'s."""
    folder = tmp_path_factory.mktemp("migrated")
    if (kept := dbcache.sqlite_copy()) is not None:
        shutil.copyfile(kept, folder / "pencet.sqlite3")
    else:
        subprocess.run(
            [*PENCET, "migrate", "--noinput"], env=_env(folder), check=True, capture_output=True, timeout=180
        )
    return folder / "pencet.sqlite3"


def migrated_env(tmp_path: Path, migrated: Path) -> dict[str, str]:
    """The environment of a `pencet` process whose folder holds a copy of the migrated database."""
    shutil.copyfile(migrated, tmp_path / "pencet.sqlite3")
    return _env(tmp_path)


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_runs_the_site_and_a_consumer_and_stops_both(tmp_path, migrated):
    env = migrated_env(tmp_path, migrated)
    port = int(env["PENCET_PORT"])
    server = subprocess.Popen([*PENCET, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: _answers(f"http://127.0.0.1:{port}/masuk/"), timeout=90), _output(server)
        page = httpx.get(f"http://127.0.0.1:{port}/masuk/", timeout=30)
        assert "Masuk ke konsol petugas" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/static/console/console.css", timeout=30).status_code == 200
        assert wait_for(lambda: len(children(server.pid)) == 1, timeout=60), _output(server)
        consumer = children(server.pid)[0]

        # A consumer that dies is restarted, and the operator is told.
        os.kill(consumer, signal.SIGKILL)
        restarted = wait_for(lambda: children(server.pid) not in ([], [consumer]), timeout=60)
        assert restarted, _output(server)
        replacement = children(server.pid)[0]

        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    report = f"stdout:\n{out}\nstderr:\n{err}"
    assert server.returncode == 0, report
    assert f"http://127.0.0.1:{port}/admin/" in out and f"http://127.0.0.1:{port}/simulator/" in out, report
    assert "/whatsapp/webhook/" in out and "/api/v1/" in out, report
    assert "Huey consumer" in err and "TIDAK terkirim" in err, report
    assert wait_for(lambda: not alive(replacement), timeout=30), "the consumer outlived the server"


def test_the_consumer_stops_even_when_serve_is_killed_outright(tmp_path, migrated):
    env = migrated_env(tmp_path, migrated)
    server = subprocess.Popen([*PENCET, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(children(server.pid)) == 1, timeout=60), _output(server)
        consumer = children(server.pid)[0]
        # Killed at once, while the consumer is most likely still importing Django: it knows serve's PID from its
        # command line, not from asking for its parent after serve may already be gone.
    finally:
        server.kill()
        server.wait()
    assert wait_for(lambda: not alive(consumer), timeout=20), "the consumer was orphaned"


def test_a_consumer_whose_serve_is_already_gone_never_starts(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    consumer = subprocess.run(
        [sys.executable, "-c", f"from pencet.cli import consumer_main; consumer_main(parent={gone.pid})"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert consumer.returncode == 0, consumer.stderr
    assert "Huey consumer" not in consumer.stderr and "huey" not in consumer.stderr.lower(), consumer.stderr


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _output(process: subprocess.Popen) -> str:
    """What the server printed, for a failure message (stops it: only called once the test has failed)."""
    for child in children(process.pid):
        os.kill(child, signal.SIGKILL)
    process.kill()
    out, err = process.communicate(timeout=30)
    return f"stdout:\n{out}\nstderr:\n{err}"


def test_a_whatsapp_message_is_answered_through_the_consumer_that_serve_starts(tmp_path, migrated):
    """The webhook only stores; the answer exists only if the consumer beside the web server really works."""
    import hashlib
    import hmac
    import json
    import sqlite3

    from pencet.whatsapp.payloads import wa_text

    env = migrated_env(tmp_path, migrated)
    port = int(env["PENCET_PORT"])
    # The demo office alone (with Sinjai's regions): `seed-demo` would first import all 90,000 regions, which
    # tests/accounts/test_seed_demo.py already covers and this test does not need.
    seed = "from pencet.accounts.services import demo_office_seed; demo_office_seed()"
    subprocess.run([*PENCET, "shell", "-c", seed], env=env, check=True, capture_output=True, timeout=300)
    server = subprocess.Popen([*PENCET, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: _answers(f"http://127.0.0.1:{port}/masuk/"), timeout=90), _output(server)
        body = json.dumps(wa_text(text="halo", phone="6281299990001", user_id="ID.6281299990001")).encode()
        signature = "sha256=" + hmac.new(b"simulator-app-secret", body, hashlib.sha256).hexdigest()
        response = httpx.post(
            f"http://127.0.0.1:{port}/whatsapp/webhook/",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            timeout=30,
        )
        assert response.status_code == 200

        def answered() -> bool:
            with sqlite3.connect(tmp_path / "pencet.sqlite3") as db:
                rows = db.execute("SELECT status FROM whatsapp_outboundmessage").fetchall()
            return any(status in ("sent", "delivered", "read") for (status,) in rows)

        assert wait_for(answered, timeout=60), _output(server)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
