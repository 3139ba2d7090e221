"""SQLite's planner gets statistics after migrations and every hour (pencet.cases.planner); PostgreSQL has its own."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from pencet.cases import services as cases
from pencet.cases.planner import planner_after_migrate, planner_statistics_refresh

pytestmark = pytest.mark.django_db


def _analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="statistics are SQLite's concern only")
def test_after_migrations_the_applications_indexes_have_statistics(office, akta_kelahiran):
    cases.application_create(office=office, service=akta_kelahiran, applicant_name="Siti Aminah")
    assert planner_statistics_refresh(full=True)
    assert "cases_application" in _analysed_tables()
    assert planner_statistics_refresh()  # the hourly PRAGMA optimize runs too


def test_the_refresh_is_connected_to_migrate():
    cases_app = apps.get_app_config("cases")
    assert planner_after_migrate in post_migrate._live_receivers(cases_app)[0]
