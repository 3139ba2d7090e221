"""Finer planner statistics for the applicant name on PostgreSQL (issue 15), so the search picks the right plan.

A name search asks for the newest matches (ORDER BY created_at DESC LIMIT 201). PostgreSQL then chooses: walk the
(office, created_at) index backwards until it has them, which is right for a common name ("Sari": 8 % of the
office, 2,500 rows walked), or read every match through the trigram index and sort them, right for a full name
(0.15 %: walking would read 130,000 rows). It chooses by its estimate of how many names contain the text, which
it reads from a histogram of sampled names: with the default 100 entries it cannot tell 0.15 % from 1 %, and at
1,000,000 applications it walked 130,000 rows for "Andi Rahman" (0.9 s) instead of reading its 1,452 matches
(25 ms). 1,000 entries tell 0.1 % apart. The cost is an ANALYZE of the table that samples 300,000 rows instead of
30,000 (autovacuum's, in the background). SQLite always walks the index and needs nothing.
"""

from django.db import migrations

TARGET = 1000


def _set(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # The index exists only where pg_trgm could be created (0014); its expression carries the statistics.
        cursor.execute("SELECT 1 FROM pg_class WHERE relname = 'cases_app_name_trgm' AND relkind = 'i'")
        if cursor.fetchone() is not None:
            cursor.execute(f'ALTER INDEX "cases_app_name_trgm" ALTER COLUMN 1 SET STATISTICS {target}')


def forwards(apps, schema_editor) -> None:
    _set(schema_editor, TARGET)


def backwards(apps, schema_editor) -> None:
    _set(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_programmes_component_handover_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
