"""Bahasa Indonesia by default, English for whoever asks for it."""

from django.urls import reverse


def test_the_login_page_is_in_bahasa_indonesia_by_default(client, db):
    html = client.get(reverse("console:login")).content.decode()
    assert "Masuk ke konsol petugas" in html


def test_an_english_browser_still_gets_bahasa_indonesia_until_the_officer_chooses_english(client, db):
    html = client.get(reverse("console:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke konsol petugas" in html

    client.post(reverse("set_language"), {"language": "en", "next": reverse("console:login")})
    html = client.get(reverse("console:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Log in to the officers&#x27; console" in html or "Log in to the officers' console" in html
    assert ">Log in<" in html


def test_an_officer_can_switch_the_console_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("console:login")})
    html = client.get(reverse("console:login")).content.decode()
    assert "Username" in html and "Password" in html


def _po_entries(path) -> dict[tuple[str | None, str], str]:
    """(msgctxt, msgid) → msgstr of one .po file, translated entries only (a small reader: no plural forms)."""
    import re

    entries: dict[tuple[str | None, str], str] = {}
    for block in path.read_text().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'(msgctxt|msgid|msgstr)\s+"(.*)"$', line)
            if match:
                current, fields[match.group(1)] = match.group(1), match.group(2)
            elif current and line.startswith('"'):
                fields[current] += line[1:-1]
        if fields.get("msgid") and fields.get("msgstr"):
            entries[(fields.get("msgctxt"), fields["msgid"])] = fields["msgstr"]
    return entries


def test_a_string_means_the_same_in_every_english_catalogue():
    """Django merges the catalogues and the project's wins, so an app's different English for the same msgid never
    shows: a word that means two things ("Selesai": done, or a complaint closed) needs a pgettext context."""
    from pathlib import Path

    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po in Path("pencet").glob("**/locale/en/LC_MESSAGES/django.po"):
        for key, text in _po_entries(po).items():
            seen.setdefault(key, {})[str(po)] = text
    conflicting = {key: texts for key, texts in seen.items() if len(set(texts.values())) > 1}
    assert conflicting == {}


def test_a_closed_complaint_and_a_completed_survey_read_differently_in_english():
    from django.utils import translation

    from pencet.bot.messages.menu import ROW_STATUS
    from pencet.surveys.models import Complaint, SurveyInvitation

    with translation.override("en"):
        assert str(Complaint.Status.CLOSED.label) == "Closed"
        assert str(SurveyInvitation.State.COMPLETED.label) == "Completed"
        assert str(ROW_STATUS) == "Check my applications"
