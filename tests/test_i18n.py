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
