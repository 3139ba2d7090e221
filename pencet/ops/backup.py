"""One-archive backups (database snapshot + every stored file + a manifest with sha256) and their restore."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "db/pencet.sqlite3"
PG_NAME = "db/pencet.pgdump"


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def storage_walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage (local folder or S3 bucket), depth first, the same way for both."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from storage_walk(storage, f"{folder}/{directory}" if folder else directory)


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _database_snapshot(target: Path) -> tuple[str, str]:
    """A consistent copy of the database into `target`'s folder: (vendor, archive name)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        out = target / "pencet.sqlite3"
        destination = sqlite3.connect(out)
        try:
            # The online backup API copies a consistent state while the web server and workers keep writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "sqlite", str(out)
    if connection.vendor == "postgresql":
        out = target / "pencet.pgdump"
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(out), db["NAME"]]
        # pg_dump takes one snapshot for the whole dump: consistent while the service runs.
        result = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(_("pg_dump gagal: %(error)s") % {"error": result.stderr.strip()[:500]})
        return "postgresql", str(out)
    raise BackupError(_("Basis data %(vendor)s belum didukung.") % {"vendor": connection.vendor})


def _counts() -> dict[str, int]:
    from pencet.accounts.models import Office
    from pencet.cases.models import Application, Attachment, Event
    from pencet.delivery.models import OutputDocument

    return {
        "offices": Office.objects.count(),
        "applications": Application.objects.count(),
        "attachments": Attachment.objects.count(),
        "events": Event.objects.count(),
        "outputs": OutputDocument.objects.count(),
    }


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


@dataclass
class BackupResult:
    path: Path
    files: int
    bytes: int
    counts: dict[str, int]


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write `pencet-YYYYmmdd-HHMMSS.tar.gz`: database first, then the files, then the manifest.

    Files stored after the snapshot may be in the archive too (harmless extras); a row of the snapshot always
    has its file, because files are only deleted after the row stopped pointing at them.
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if output is None or output.is_dir() or str(output).endswith("/"):
        folder = output or Path(settings.PENCET_BACKUP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / f"pencet-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    storage = storages["default"]
    entries: list[dict] = []
    total = 0
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as work:
        vendor, dump = _database_snapshot(Path(work))
        counts = _counts()
        db_name = SQLITE_NAME if vendor == "sqlite" else PG_NAME
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=db_name)
            entries.append({"path": db_name, "size": os.path.getsize(dump), "sha256": _file_sha256(Path(dump))})
            for name in storage_walk(storage):
                if name.startswith("ops/doctor-"):
                    continue
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                _add_bytes(archive, f"media/{name}", data)
                entries.append({"path": f"media/{name}", "size": len(data), "sha256": _sha256(data)})
                total += len(data)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": vendor, "path": db_name},
                "storage": type(storage).__name__,
                "counts": counts,
                "files": entries,
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
    partial.replace(output)
    return BackupResult(path=output, files=len(entries) - 1, bytes=total, counts=counts)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    member = archive.extractfile(MANIFEST)
    if member is None:
        raise BackupError(_("Arsip tanpa manifest.json: bukan cadangan Pencet."))
    return json.loads(member.read())


def backup_verify(*, path: Path) -> dict:
    """Check every file of the archive against its manifest checksum; returns the manifest."""
    with tarfile.open(path, "r:gz") as archive:
        manifest = _read_manifest(archive)
        expected = {e["path"]: e["sha256"] for e in manifest["files"]}
        seen = set()
        for member in archive:
            if member.name == MANIFEST or not member.isfile():
                continue
            handle = archive.extractfile(member)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 - consumed at once
                digest.update(block)
            if expected.get(member.name) != digest.hexdigest():
                raise BackupError(_("Checksum tidak cocok: %(name)s") % {"name": member.name})
            seen.add(member.name)
        missing = set(expected) - seen
        if missing:
            raise BackupError(_("Berkas hilang dari arsip: %(names)s") % {"names": ", ".join(sorted(missing)[:5])})
    return manifest


def _database_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(*, archive: tarfile.TarFile, manifest: dict, force: bool) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("Cadangan dari %(a)s tidak bisa dipulihkan ke %(b)s.") % {"a": vendor, "b": connection.vendor}
        )
    if not _database_empty() and not force:
        raise BackupError(_("Basis data tujuan tidak kosong; pakai basis data baru atau --force."))
    db = settings.DATABASES["default"]
    member = archive.extractfile(manifest["database"]["path"])
    if vendor == "sqlite":
        target = Path(db["NAME"])
        connection.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        with open(target, "wb") as out:
            shutil.copyfileobj(member, out)
        return
    with tempfile.NamedTemporaryFile(suffix=".pgdump") as dump:
        shutil.copyfileobj(member, dump)
        dump.flush()
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", db["NAME"]]
        if force:
            command[1:1] = ["--clean", "--if-exists"]
        connection.close()
        result = subprocess.run([*command, dump.name], env=_pg_env(db), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(_("pg_restore gagal: %(error)s") % {"error": result.stderr.strip()[:500]})


@dataclass
class RestoreResult:
    files: int
    counts: dict[str, int]
    expected: dict[str, int]


def backup_restore(*, path: Path, force: bool = False) -> RestoreResult:
    """Rebuild an office from an archive on an empty database and empty storage, then check what came back."""
    manifest = backup_verify(path=path)
    storage = storages["default"]
    files = 0
    with tarfile.open(path, "r:gz") as archive:
        _restore_database(archive=archive, manifest=manifest, force=force)
        for entry in manifest["files"]:
            if not entry["path"].startswith("media/"):
                continue
            name = entry["path"].removeprefix("media/")
            data = archive.extractfile(entry["path"]).read()
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(data))
            if saved != name:
                raise BackupError(_("Berkas %(name)s disimpan dengan nama lain (%(saved)s).") % locals())
            files += 1
    from django.core.management import call_command

    # An archive from an older release gets this release's tables too.
    call_command("migrate", interactive=False, verbosity=0)
    return RestoreResult(files=files, counts=_counts(), expected=manifest["counts"])
