"""Pencet's SQLite backend: a writer that finds the write lock taken waits for it and writes as soon as it is free,
and gives up with Django's OperationalError after its `timeout`. Each test makes its own database file, so it
runs the same whatever database the suite itself is on."""

import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

ALIAS = "lock_test"


def connect(path, *, timeout: float = 5) -> None:
    """This thread's connection named ALIAS, to the file at `path`, set up as settings.py sets up the office's."""
    handler = ConnectionHandler(
        {
            "default": {},
            ALIAS: {
                "ENGINE": "pencet.sqlite",
                "NAME": str(path),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": timeout,
                },
            },
        }
    )
    connections[ALIAS] = handler[ALIAS]


def disconnect() -> None:
    connections[ALIAS].close()
    del connections[ALIAS]


def visit(who: str) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO visit VALUES (%s)", [who])


@pytest.fixture
def database(tmp_path, django_db_blocker) -> Iterator:
    """A file of its own, outside the test database that pytest-django guards."""
    path = tmp_path / "office.sqlite3"
    with django_db_blocker.unblock():
        connect(path)
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE visit (who TEXT)")
        yield path
        disconnect()


@pytest.fixture
def lock_held(database) -> Iterator[Callable[[float], None]]:
    """lock_held(seconds): another worker's transaction holds the write lock that long (or until the test ends)."""
    threads, end = [], threading.Event()

    def hold(seconds: float) -> None:
        taken = threading.Event()

        def worker() -> None:
            connect(database)
            with transaction.atomic(using=ALIAS):
                visit("Sari")
                taken.set()
                end.wait(seconds)
            disconnect()

        thread = threading.Thread(target=worker)
        thread.start()
        threads.append(thread)
        assert taken.wait(5)

    yield hold
    end.set()
    for thread in threads:
        thread.join(10)


def visitors() -> list[str]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT who FROM visit ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def test_a_transaction_waits_for_the_lock_and_commits_once_it_is_free(lock_held):
    lock_held(0.3)
    with transaction.atomic(using=ALIAS):
        visit("Andi")
    assert visitors() == ["Sari", "Andi"]


def test_a_single_write_outside_a_transaction_waits_for_the_lock_too(lock_held):
    lock_held(0.3)
    visit("Andi")
    assert visitors() == ["Sari", "Andi"]


def test_a_writer_gives_up_after_its_timeout_with_djangos_error(database, lock_held):
    disconnect()
    connect(database, timeout=0.2)
    lock_held(30)
    with pytest.raises(OperationalError, match="database is locked"):
        with transaction.atomic(using=ALIAS):
            visit("Andi")
    with pytest.raises(OperationalError, match="database is locked"):
        visit("Andi")
    assert visitors() == []  # Sari's transaction is still open; nothing of Andi's was written
