"""Query plans as the database would make them for an office's large tables, not for a test's few rows."""

from django.db import connection


def query_plan(sql: str, params: object = None) -> list[str]:
    """The plan's steps for `sql`: PostgreSQL's EXPLAIN lines, SQLite's EXPLAIN QUERY PLAN details."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table is cheapest to read whole; forbid that so the plan shows whether an index could serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        # Likewise: statistics gathered from a few test rows (ANALYZE after migrate) make a scan the cheapest
        # plan; without them SQLite plans as for a large table, which is what an office's database is.
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_master")  # reloads the (now empty) statistics
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]
