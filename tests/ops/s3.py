"""A real S3 wire-protocol server on loopback (moto[server]'s moto_server) and the settings Pencet builds for it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def moto_server_start() -> tuple[subprocess.Popen, str]:
    binary = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if binary is None:
        raise RuntimeError("moto_server is not installed (pip install 'moto[server]')")
    port = free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("moto_server did not start")


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "PENCET_STORAGE": "s3",
        "PENCET_S3_BUCKET": bucket,
        "PENCET_S3_ENDPOINT_URL": endpoint,
        "PENCET_S3_REGION": "us-east-1",
        "PENCET_S3_ACCESS_KEY": "pencet-test",
        "PENCET_S3_SECRET_KEY": "pencet-test-secret",
    }


def storages_from_settings(env: dict[str, str]) -> dict:
    """STORAGES exactly as pencet/settings.py builds them from these environment variables."""
    code = "import json, pencet.settings as s; print(json.dumps(s.STORAGES['default'], default=str))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env, "PENCET_TESTING": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)
