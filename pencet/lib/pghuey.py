"""Huey on PostgreSQL for PENCET_QUEUE=postgres: many consumers on many machines, no Redis to run.

Huey itself ships the storage (a task table dequeued with SELECT … FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY to
wake idle consumers, a schedule table and a result store); this only points it at the right database.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from huey import PostgresHuey as _PostgresHuey


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


class PostgresHuey(_PostgresHuey):
    def __init__(self, name: str = "huey", **kwargs: object) -> None:
        if "dsn" not in kwargs and "connection" not in kwargs:
            kwargs["dsn"] = huey_database_url()
        super().__init__(name, **kwargs)
