"""The shipped deploy/ files are valid for the tools that read them (where those tools are on this machine)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.mark.parametrize("unit", ["pencet-web.service", "pencet-worker.service", "pencet-backup.service"])
def test_the_systemd_units_verify(unit, tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed on this machine")
    # The units name /opt/pencet; point them at this checkout so the executables exist.
    text = (DEPLOY / unit).read_text().replace("/opt/pencet", str(ROOT)).replace("/etc/pencet/pencet.env", "-/dev/null")
    (tmp_path / unit).write_text(text)
    if unit == "pencet-backup.service":
        (tmp_path / "pencet-backup.timer").write_text((DEPLOY / "pencet-backup.timer").read_text())
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / unit)], capture_output=True, text=True, timeout=60
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # This test machine has no pencet user and runs no systemd as PID 1; neither says anything about the unit.
        if line.strip() and "pencet" in line and "User" not in line and "Failed to connect" not in line
    ]
    assert problems == [], "\n".join(problems)


def test_the_nginx_config_passes_nginx_t(tmp_path):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed on this machine (apt-get install nginx-light)")
    from tests.ops.tls import self_signed

    cert, key = self_signed(tmp_path)
    (tmp_path / "logs").mkdir()
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/pencet.sinjaikab.go.id/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/pencet.sinjaikab.go.id/privkey.pem", str(key))
    site = site.replace("/etc/nginx/pencet_proxy_params", str(DEPLOY / "pencet_proxy_params"))
    (tmp_path / "pencet.conf").write_text(site)
    main = f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/pencet.conf;
}}
"""
    (tmp_path / "nginx.conf").write_text(main)
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_env_example_names_only_settings_that_exist():
    from tests.ops.test_docs import settings_variables

    known = settings_variables()
    names = [
        line.lstrip("# ").split("=", 1)[0]
        for line in (DEPLOY / "pencet.env.example").read_text().splitlines()
        if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()
    ]
    assert names and set(names) <= known, set(names) - known
