"""The province topology, run for real with small numbers: bench/scaleout.py (two web processes behind a
balancer, two Redis workers of which one is SIGKILLed, PostgreSQL, S3 on loopback, the Graph stand-in)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _services_reachable() -> str:
    import psycopg
    import redis

    try:
        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        redis.Redis.from_url("redis://127.0.0.1:6379/12", socket_connect_timeout=3).ping()
    except Exception as error:  # either server missing is a reason to skip, with the reason
        return str(error)
    if not shutil.which("moto_server", path=str(Path(sys.executable).parent)):
        return "moto_server is not installed"
    return ""


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("PENCET_SCALEOUT_TEST") != "1",
    reason="opt-in (PENCET_SCALEOUT_TEST=1): a worker killed during a Graph call leaves that send 'unknown' by "
    "design (never sent twice), so the exactly-once check fails in some runs; see bench/README.md",
)
def test_every_citizen_is_answered_exactly_once_across_two_web_processes_with_a_worker_killed():
    reason = _services_reachable()
    if reason:
        pytest.skip(f"PostgreSQL, Redis or moto_server not available: {reason}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PENCET_", "DJANGO_", "PYTEST"))}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scaleout.py"), "--citizens", "24", "--fast-recovery",
         "--timeout", "150"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=400,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "OK: every citizen greeted exactly once" in result.stdout
    assert '"webhooks_failed": 0' in result.stdout
    assert '"s3_objects": 24' in result.stdout
