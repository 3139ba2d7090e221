"""Production settings: refuse an unsafe start, and be strict when debug is off."""

import json
import os
import subprocess
import sys

import pytest

PRINT_SECURITY = (
    "import json, pencet.settings as s; print(json.dumps({'session': s.SESSION_COOKIE_SECURE, "
    "'csrf': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, 'debug': s.DEBUG}))"
)


def run_settings(tmp_path, code: str = "import pencet.settings", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PENCET_", "DATABASE_URL", "TEST_DATABASE"))}
    clean.update({"PENCET_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode != 0
    assert "PENCET_SECRET_KEY must be set in production" in result.stderr


def test_production_with_a_secret_key_starts_with_secure_cookies_and_hsts(tmp_path):
    result = run_settings(tmp_path, PRINT_SECURITY, PENCET_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"session": True, "csrf": True, "hsts": 31536000, "debug": False}


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_debug_is_off_unless_asked_for(tmp_path, value):
    result = run_settings(tmp_path, PRINT_SECURITY, PENCET_SECRET_KEY="x" * 50, PENCET_DEBUG=value)
    assert json.loads(result.stdout)["debug"] is False
