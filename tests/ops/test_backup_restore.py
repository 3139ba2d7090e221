"""`pencet backup` and `pencet restore`: every application, file and timeline entry comes back, checksums equal."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from pencet.cases.models import Application, Attachment, Event
from pencet.delivery.models import OutputDocument

# restore runs in a fresh process (seconds each), scheduled first (tests/conftest.py).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PENCET = [sys.executable, "-c", "from pencet.cli import main; main()"]


def restore_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PENCET_", "DATABASE_URL", "TEST_DATABASE"))}
    folder = tmp_path / "fresh"
    env.update(PENCET_VAR_DIR=str(folder), PENCET_SECRET_KEY="restore-test-" + "k" * 40, **extra)
    return env


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def archive(transactional_db, history, tmp_path) -> Path:
    call_command("backup", "--output", str(tmp_path / "cadangan.tar.gz"))
    return tmp_path / "cadangan.tar.gz"


def test_the_archive_holds_a_database_snapshot_every_file_and_a_manifest_with_checksums(archive, media_dir):
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    stored = {str(p.relative_to(media_dir)) for p in media_dir.rglob("*") if p.is_file()}
    assert {f"media/{name}" for name in stored} <= names
    assert manifest["counts"]["applications"] == 3
    assert manifest["counts"]["attachments"] == 4
    assert manifest["counts"]["outputs"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    by_path = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    for name in stored:
        assert by_path[f"media/{name}"] == sha(media_dir / name)


def test_a_damaged_archive_is_refused_by_verify(archive, tmp_path):
    damaged = tmp_path / "rusak.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.endswith(".jpg") and data:
                data = data[:-1] + b"X"
            target.addfile(member, None if data is None else __import__("io").BytesIO(data))
    result = subprocess.run(
        [*PENCET, "restore", "--verify-only", str(damaged)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=restore_env(tmp_path),
        timeout=120,
    )
    assert result.returncode != 0
    assert "Checksum tidak cocok" in result.stderr


def _restored_rows(tmp_path: Path, env: dict) -> tuple[list, list, list]:
    if "DATABASE_URL" not in env:
        db = sqlite3.connect(tmp_path / "fresh" / "pencet.sqlite3")
        run = db.execute
    else:
        import psycopg

        db = psycopg.connect(env["DATABASE_URL"], autocommit=True)
        run = db.execute
    applications = sorted(run("SELECT tracking_code, status, applicant_name FROM cases_application").fetchall())
    attachments = sorted(run("SELECT file, sha256 FROM cases_attachment").fetchall())
    events = sorted(run("SELECT application_id, kind, to_status FROM cases_event").fetchall())
    outputs = sorted(run("SELECT file, sha256 FROM delivery_outputdocument").fetchall())
    db.close()
    return applications, attachments + outputs, events


def test_restore_into_a_fresh_folder_brings_back_every_application_file_and_event(archive, tmp_path):
    env = restore_env(tmp_path)
    created_db = None
    if connection.vendor == "postgresql":
        import psycopg

        created_db = f"pencet_restore_{uuid.uuid4().hex[:8]}"
        settings_db = connection.settings_dict
        base = f"postgres://{settings_db['USER']}@{settings_db['HOST'] or '127.0.0.1'}:{settings_db['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{created_db}"')
        env["DATABASE_URL"] = f"{base}/{created_db}"
    try:
        result = subprocess.run(
            [*PENCET, "restore", str(archive)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
        )
        assert result.returncode == 0, result.stderr + result.stdout
        assert "applications  3 / 3 OK" in result.stdout

        applications, files, events = _restored_rows(tmp_path, env)
        assert applications == sorted(Application.objects.values_list("tracking_code", "status", "applicant_name"))
        expected_files = sorted(
            list(Attachment.objects.values_list("file", "sha256"))
            + list(OutputDocument.objects.values_list("file", "sha256"))
        )
        assert files == expected_files
        assert events == sorted(Event.objects.values_list("application_id", "kind", "to_status"))
        media = tmp_path / "fresh" / "media"
        for name, checksum in files:
            assert sha(media / name) == checksum, name
    finally:
        if created_db:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')


def test_restore_refuses_a_database_that_is_not_empty(archive, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the refusal")
    env = restore_env(tmp_path)
    first = subprocess.run(
        [*PENCET, "restore", str(archive)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert first.returncode == 0, first.stderr
    again = subprocess.run(
        [*PENCET, "restore", str(archive)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert again.returncode != 0
    assert "tidak kosong" in again.stderr
