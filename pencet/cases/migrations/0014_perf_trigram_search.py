"""Substring search through trigram indexes on PostgreSQL (issue 15): a name, a phone fragment or part of a NIK typed
into the console's search or the API's `q` is matched with LIKE '%…%', which no B-tree serves; at 1,000,000
applications that was a scan of the whole table. pg_trgm's GIN indexes serve exactly the expressions Django writes
for these lookups (icontains: UPPER(col::text) LIKE UPPER(…); contains/startswith/endswith: col::text LIKE …), so
each branch of the search's OR becomes an index scan. SQLite has no such index: nothing to do there.

pg_trgm ships with PostgreSQL and is a trusted extension (the database owner may create it). Where the extension
cannot be created the indexes are skipped with a warning: search stays correct, only slower.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)

INDEXES = {
    "cases_app_name_trgm": 'UPPER("applicant_name"::text) gin_trgm_ops',
    "cases_app_code_trgm": 'UPPER("tracking_code"::text) gin_trgm_ops',
    "cases_app_nik_trgm": '("nik"::text) gin_trgm_ops',
    "cases_app_phone_trgm": '("phone"::text) gin_trgm_ops',
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT pencet_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT pencet_trgm")
            except Exception as error:  # noqa: BLE001 - any refusal (rights, missing contrib) means: no indexes
                cursor.execute("ROLLBACK TO SAVEPOINT pencet_trgm")
                logger.warning("pg_trgm unavailable (%s): substring search stays a table scan", error)
                return
        for name, expression in INDEXES.items():
            cursor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_application" USING gin ({expression})')


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_outreach_channel_disability_support"),
    ]

    operations = [migrations.RunPython(create, drop)]
