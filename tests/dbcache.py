"""A migrated test database with its reference data, kept between runs while nothing it is made of changes.

Migrating an empty database costs about 20 s of CPU per test worker (Django re-renders the migration state of this
project's closely related models some 4,000 times), and loading Sinjai's and Bone's regions and the catalogue
another second or two. Both give the same database every time until a migration, a model, the catalogue, the
regions code or a pinned dependency changes, so the first run on a checkout builds it as usual and keeps a copy,
named by a hash of exactly those files; later runs start from the copy:

- SQLite (the in-memory test database): a file under var/test-db/, loaded with SQLite's backup API (what Django's
  own parallel runner does to clone an in-memory database).
- PostgreSQL: a template database `pencet_tpl_<hash>`; each worker's test database is `CREATE DATABASE … TEMPLATE`.

The copy is what `migrate` produced: the schema under test is the migrations', never one made from the models.
PENCET_TEST_DB_CACHE=0 builds from scratch every time.
"""

import hashlib
import os
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "test-db"
TEMPLATE_PREFIX = "pencet_tpl_"


def enabled() -> bool:
    return os.environ.get("PENCET_TEST_DB_CACHE", "1") != "0"


def _sources() -> list[Path]:
    pencet = ROOT / "pencet"
    files = [
        *pencet.glob("*/migrations/*.py"),
        *pencet.glob("*/models*.py"),
        *pencet.glob("*/apps.py"),
        *pencet.glob("catalog/*.py"),
        *pencet.glob("regions/*.py"),
        pencet / "settings.py",
        ROOT / "pyproject.toml",
        ROOT / "tests" / "conftest.py",
        Path(__file__),
    ]
    return sorted(f for f in files if f.is_file())


def cache_key() -> str:
    digest = hashlib.sha256(connection.vendor.encode())
    for path in _sources():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_copy() -> Path | None:
    """The kept SQLite test database of this run (after django_db_setup), for tests that need a migrated file."""
    if not enabled() or connection.vendor != "sqlite":
        return None
    copy = CACHE_DIR / f"{cache_key()}.sqlite3"
    return copy if copy.exists() else None


def _use(*, test_name: str) -> str:
    """Point the connection (and settings) at the test database, as create_test_db does; returns the old name."""
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    return old_name


def restore(*, key: str) -> list[tuple[BaseDatabaseWrapper, str, bool]] | None:
    """The worker's test database from the kept copy, or None when there is none; setup_databases' return value."""
    creation = connection.creation
    test_name = creation._get_test_db_name()
    if connection.vendor == "sqlite":
        copy = CACHE_DIR / f"{key}.sqlite3"
        if not copy.exists() or not creation.is_in_memory_db(test_name):
            return None
        old_name = _use(test_name=test_name)
        connection.ensure_connection()
        source = sqlite3.connect(copy)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return [(connection, old_name, True)]
    if connection.vendor == "postgresql":
        template = TEMPLATE_PREFIX + key
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                return None
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
            cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        old_name = _use(test_name=test_name)
        connection.ensure_connection()
        return [(connection, old_name, True)]
    return None


def keep(*, key: str) -> None:
    """Keep a copy of the freshly migrated and loaded test database for the runs after this one."""
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"]):
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("*.sqlite3"):
            if old.stem != key:
                old.unlink(missing_ok=True)
        partial = CACHE_DIR / f"{key}.{os.getpid()}.partial"
        target = sqlite3.connect(partial)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, CACHE_DIR / f"{key}.sqlite3")
    elif connection.vendor == "postgresql":
        template = TEMPLATE_PREFIX + key
        test_name = connection.settings_dict["NAME"]
        connection.close()  # a template is copied only while nobody is connected to it
        # Templates of other hashes are left alone: a run in another checkout may be copying one right now.
        with connection._nodb_cursor() as cursor:
            try:
                cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{test_name}"')
            except Exception:  # noqa: BLE001 - another worker made it first, or it is in use: keep none this time
                pass
        connection.ensure_connection()
