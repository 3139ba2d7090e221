"""Django's SQLite backend, except for how a writer waits for SQLite's one write lock.

SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between looks, so a writer that
has waited a little wakes up to tens of milliseconds after the lock came free. The Huey worker processes take
turns on that lock several times in every citizen's turn, and this overshoot cost about a fifth of the time to
answer fifty citizens writing at once (bench/replies.py). Here SQLite itself does not wait (busy timeout 0): a
BEGIN IMMEDIATE, or any statement outside a transaction, that finds the lock taken is tried again after half a
millisecond, then after pauses doubling up to 4 ms, up to the `timeout` option (seconds, 5 as in Python's sqlite3).
Inside a transaction nothing is retried: an IMMEDIATE transaction already holds the lock, and a statement that
failed there is the caller's. (Every half millisecond for as long as the wait lasted, the eight web threads and two
workers waiting behind one another's turns spent about a tenth of the CPU of fifty citizens' turns on failed looks.)
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

# Between looks at a taken lock: the first soon (a turn holds the lock for milliseconds), then doubling up to
# _LOOK_AGAIN_MOST; once it is clearly held for a while (a migration, a VACUUM), every _LOOK_AGAIN_LATER.
_LOOK_AGAIN = 0.0005
_LOOK_AGAIN_MOST = 0.004
_LOOK_AGAIN_LATER = 0.005
_YOUNG = 0.2


class _Connection(sqlite3.Connection):
    lock_wait: float = 5.0


def _locked(exc: sqlite3.OperationalError) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def _patiently(connection: _Connection, run: Callable[[], Any]) -> Any:
    started = time.monotonic()
    pause = _LOOK_AGAIN
    while True:
        try:
            return run()
        except sqlite3.OperationalError as exc:
            waited = time.monotonic() - started
            if connection.in_transaction or not _locked(exc) or waited >= connection.lock_wait:
                raise
            time.sleep(pause)
            pause = min(pause * 2, _LOOK_AGAIN_LATER if waited >= _YOUNG else _LOOK_AGAIN_MOST)


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query: str, params: Any = None) -> Any:
        if self.connection.in_transaction:
            return super().execute(query, params)
        return _patiently(self.connection, lambda: super(SQLiteCursorWrapper, self).execute(query, params))

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.connection.in_transaction:
            return super().executemany(query, param_list)
        return _patiently(self.connection, lambda: super(SQLiteCursorWrapper, self).executemany(query, param_list))


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> _Connection:
        lock_wait = float(conn_params.get("timeout", _Connection.lock_wait))
        # SQLite's own wait covers the PRAGMAs of the connection's start (a new file's switch to WAL takes the lock);
        # from then on the waits are ours.
        connection = super().get_new_connection({**conn_params, "timeout": lock_wait, "factory": _Connection})
        connection.execute("PRAGMA busy_timeout = 0")
        connection.lock_wait = lock_wait
        return connection

    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
