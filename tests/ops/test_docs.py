"""The operator docs: every variable they name exists, both languages have every page, templates are exact."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
VARIABLE = re.compile(r"\b((?:PENCET|WHATSAPP)_[A-Z0-9_]+|DATABASE_URL|TEST_DATABASE_URL|EMAIL_URL)\b")
PAGES = {
    "pemasangan": "install",
    "konfigurasi": "configuration",
    "whatsapp": "whatsapp",
    "email": "email",
    "basis-data": "database",
    "pembaruan": "upgrading",
    "cadangan": "backup",
    "pemantauan": "monitoring",
    "gangguan": "outages",
    "skala": "scale-out",
}


def settings_variables() -> set[str]:
    """Every environment variable the settings read (os.environ.get, envbool, envint); the PostgreSQL queue's
    own URL is read where that queue is built (pencet/lib/pghuey.py)."""
    source = (ROOT / "pencet" / "settings.py").read_text() + (ROOT / "pencet" / "lib" / "pghuey.py").read_text()
    return set(re.findall(r"""(?:environ\.get|environ\[|envbool|envint)\(?\s*["']([A-Z0-9_]+)["']""", source))


def test_settings_variables_are_found_at_all():
    assert {"PENCET_SECRET_KEY", "DATABASE_URL", "PENCET_METRICS_TOKEN", "WHATSAPP_APP_SECRET"} <= settings_variables()


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_variable_a_page_names_is_read_by_the_settings(page):
    named = set(VARIABLE.findall(page.read_text()))
    assert named - settings_variables() == set()


def test_the_readme_section_names_only_real_variables():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Running it for real")
    section = readme[start : readme.index("\n## ", start + 1)]
    assert set(VARIABLE.findall(section)) - settings_variables() == set()


def test_every_page_exists_in_both_languages_and_is_linked_from_the_index():
    index = (DOCS / "README.md").read_text()
    for indonesian, english in PAGES.items():
        assert (DOCS / "id" / f"{indonesian}.md").exists() and (DOCS / "en" / f"{english}.md").exists()
        assert f"id/{indonesian}.md" in index and f"en/{english}.md" in index


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_whatsapp_page_lists_every_template_exactly_as_seeded(language):
    from pencet.accounts.services import DEMO_TEMPLATES

    page = (DOCS / language / "whatsapp.md").read_text()
    for event, parameters, body in DEMO_TEMPLATES:
        row = next(line for line in page.splitlines() if line.startswith(f"| `pencet_{event}` |"))
        assert "| UTILITY | `id` |" in row
        assert body in row
        for position, name in enumerate(parameters, start=1):
            assert f"{{{{{position}}}}} = {name}" in row


def test_the_commands_the_docs_teach_exist():
    from django.core.management import get_commands

    commands = get_commands()
    for name in ("doctor", "backup", "restore", "office-create", "photos-purge"):
        assert name in commands
