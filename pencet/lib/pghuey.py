"""Huey on PostgreSQL for PENCET_QUEUE=postgres: many consumers on many machines, no Redis to run.

Huey itself ships the storage (a task table dequeued with SELECT … FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY to
wake idle consumers, a schedule table and a result store); this only points it at the right database.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from huey import PostgresHuey as _PostgresHuey
from huey.storage import PostgresStorage as _PostgresStorage


def huey_database_url() -> str:
    """PENCET_HUEY_DATABASE_URL if set (a separate queue database), else the application's DATABASE_URL."""
    url = os.environ.get("PENCET_HUEY_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "PENCET_QUEUE=postgres needs a PostgreSQL URL in PENCET_HUEY_DATABASE_URL or DATABASE_URL "
            "(e.g. postgres://pencet:secret@db.example:5432/pencet)."
        )
    # libpq takes the URL as it is; only the scheme alias dj-database-url also accepts needs normalising.
    return "postgresql://" + url.split("://", 1)[1]


# Any constant shared by every Pencet process: the key of the advisory lock that serialises the queue's DDL.
_SCHEMA_LOCK = 0x70656E63  # "penc"


class PostgresStorage(_PostgresStorage):
    """Huey's storage, with its `create table if not exists` run under a transaction-wide advisory lock.

    PostgreSQL's IF NOT EXISTS is not safe against itself: two processes starting at the same moment (two
    consumers, a web process and a consumer) both see no table and the second fails on the catalogue's unique
    index ("pg_type_typname_nsp_index"). The lock makes the second wait for the first's commit, then see the tables.
    """

    def initialize_schema(self) -> None:
        with self.db(commit=True, close=True) as cursor:
            cursor.execute("select pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for sql in self.ddl:
                cursor.execute(sql)


class PostgresHuey(_PostgresHuey):
    storage_class = PostgresStorage

    def __init__(self, name: str = "huey", **kwargs: object) -> None:
        if "dsn" not in kwargs and "connection" not in kwargs:
            kwargs["dsn"] = huey_database_url()
        super().__init__(name, **kwargs)
