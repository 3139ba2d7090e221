"""The shared job queues production uses instead of SQLite: PostgreSQL and Redis, against real servers."""

import datetime
import os
import subprocess
import sys
import threading
import uuid

import pytest
from huey import RedisHuey

from pencet.lib.pghuey import PostgresHuey

POSTGRES_URL = os.environ.get("PENCET_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PENCET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def pg_huey():
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    huey = PostgresHuey(f"pencet-test-{uuid.uuid4().hex[:8]}", dsn=POSTGRES_URL, blocking=False)
    yield huey
    huey.flush()
    huey.storage.close()


@pytest.fixture
def redis_huey():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    huey = RedisHuey(f"pencet-test-{uuid.uuid4().hex[:8]}", url=REDIS_URL, blocking=False)
    yield huey
    huey.flush()


def add_task(huey):
    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    return add


@pytest.mark.parametrize("queue", ["pg_huey", "redis_huey"])
def test_a_task_goes_through_the_queue_and_its_result_comes_back(request, queue):
    huey = request.getfixturevalue(queue)
    add = add_task(huey)
    result = add(2, 3)
    assert huey.pending_count() == 1
    task = huey.dequeue()
    huey.execute(task)
    assert huey.pending_count() == 0
    assert result.get() == 5


@pytest.mark.parametrize("queue", ["pg_huey", "redis_huey"])
def test_a_delayed_task_waits_in_the_schedule_until_it_is_due(request, queue):
    huey = request.getfixturevalue(queue)
    add = add_task(huey)
    add.schedule((1, 1), delay=3600)
    # The consumer puts a task with a future eta into the schedule.
    huey.execute(huey.dequeue())
    assert huey.scheduled_count() == 1
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert huey.read_schedule(now) == []
    due = huey.read_schedule(now + datetime.timedelta(hours=2))
    assert len(due) == 1 and huey.scheduled_count() == 0


def test_postgres_consumers_never_get_the_same_task_twice(pg_huey):
    add = add_task(pg_huey)
    for i in range(60):
        add(i, 0)
    seen: list[bytes] = []
    lock = threading.Lock()

    def consume() -> None:
        # One connection per consumer, as on separate machines.
        other = PostgresHuey(pg_huey.name, dsn=POSTGRES_URL, blocking=False)
        while (message := other.storage.dequeue()) is not None:
            with lock:
                seen.append(message)
        other.storage.close()

    workers = [threading.Thread(target=consume) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(seen) == 60 and len(set(seen)) == 60


def test_pencet_queue_postgres_selects_the_postgres_huey(tmp_path, pg_huey):
    code = "import django; django.setup(); from huey.contrib.djhuey import HUEY; print(type(HUEY).__module__)"
    env = {
        **os.environ,
        "PENCET_QUEUE": "postgres",
        "PENCET_HUEY_DATABASE_URL": POSTGRES_URL,
        "PENCET_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pencet.settings",
        "PENCET_TESTING": "1",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "pencet.lib.pghuey", result.stderr


def test_pencet_queue_postgres_without_a_postgres_url_says_what_is_missing(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("PENCET_HUEY_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/pencet.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="PENCET_HUEY_DATABASE_URL"):
        PostgresHuey("pencet")


def test_consumers_starting_at_the_same_moment_all_find_the_queue_tables():
    """Two processes starting together (web and consumer, two consumers) both create the tables if missing; the
    second must wait for the first instead of failing on PostgreSQL's catalogue."""
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    prefix = f"pencet_race_{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def start_consumer() -> None:
        start.wait()
        try:
            PostgresHuey("pencet-race", dsn=POSTGRES_URL, blocking=False, table_prefix=prefix).storage.close()
        except Exception as error:  # noqa: BLE001 - every failure is the finding
            failures.append(error)

    threads = [threading.Thread(target=start_consumer) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            for table in ("kv", "schedule", "task", "counter"):
                connection.execute(f"drop table if exists {prefix}_{table}")
