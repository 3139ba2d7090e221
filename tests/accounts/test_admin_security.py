"""The operator's admin pages of the second factor (django-otp's TOTP devices) and of the login lockouts
(django-axes) speak Bahasa Indonesia like the rest of the admin: no English left from those packages."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_otp.plugins.otp_totp.models import TOTPDevice

from pencet.accounts.models import User

# What django-otp and django-axes write on these pages in English (their own words, upstream).
ENGLISH = [
    "TOTP device",
    "Otp_Totp",
    "Axes",
    "Identity",
    "Timestamps",
    "Configuration",
    "Throttling",
    "QR Code",
    "qrcode",
    "Search by user",
    "The user that this device belongs to",
    "human-readable name",
    "hex-encoded secret key",
    "time step",
    "Created at",
    "Last used at",
    "Confirmed",
    "Tolerance",
    "Digits",
    "Install segno",
    "Access attempt",
    "Access log",
    "Access failure",
    "Attempt Time",
    "Attempt time",
    "IP Address",
    "User Agent",
    "Failed Logins",
    "Form Data",
    "Meta Data",
    "GET Data",
    "POST Data",
    "Locked Out",
    "Attempt Remaining",
    "Clean up expired",
    "Expiration",
    "Not set",
    "Logout Time",
    "Attempted Access",
    "Access Log for",
    "Failed access",
]


@pytest.fixture
def operator(client, office) -> User:
    """The operators' superuser, reading the admin in its default language."""
    user = User.objects.create_superuser(username="operator", password="sandi-operator-1")
    client.force_login(user)
    return user


@pytest.fixture
def andis_phone(andi) -> TOTPDevice:
    return TOTPDevice.objects.create(user=andi, name="HP Andi", confirmed=True)


@pytest.fixture
def failed_login(db) -> AccessAttempt:
    AccessLog.objects.create(username="andi", ip_address="10.0.0.7", user_agent="Firefox", path_info="/masuk/")
    return AccessAttempt.objects.create(
        username="andi",
        ip_address="10.0.0.7",
        user_agent="Firefox",
        path_info="/masuk/",
        get_data="",
        post_data="username=andi",
        failures_since_start=2,
    )


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Words a person reads: the text between tags, and the titles and placeholders of inputs and links.
    attributes = " ".join(re.findall(r'(?:title|placeholder|alt|aria-label)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attributes


def english_left(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    text = visible_text(response.content.decode())
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


def test_the_admin_home_names_the_second_factor_and_the_login_lockouts_in_bahasa_indonesia(client, operator):
    text = visible_text(client.get("/admin/").content.decode())
    assert "Verifikasi dua langkah (TOTP)" in text and "Perangkat TOTP" in text
    assert "Pengamanan login" in text and "Percobaan login" in text and "Log login" in text
    assert english_left(client, "/admin/") == []


def test_the_totp_device_pages_are_in_bahasa_indonesia(client, operator, andis_phone):
    listing = visible_text(client.get("/admin/otp_totp/totpdevice/").content.decode())
    assert "Pilih perangkat TOTP untuk diubah" in listing
    assert "Terakhir dipakai" in listing and "Kode QR" in listing

    change = visible_text(client.get(f"/admin/otp_totp/totpdevice/{andis_phone.pk}/change/").content.decode())
    assert "Identitas" in change and "Pembatasan percobaan" in change
    assert "Pengguna pemilik perangkat ini." in change

    for url in (
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_totp/totpdevice/add/",
        f"/admin/otp_totp/totpdevice/{andis_phone.pk}/change/",
        f"/admin/otp_totp/totpdevice/{andis_phone.pk}/config/",
        f"/admin/otp_totp/totpdevice/{andis_phone.pk}/delete/",
    ):
        assert english_left(client, url) == [], url


def test_the_login_lockout_pages_are_in_bahasa_indonesia(client, operator, failed_login):
    failure = AccessFailureLog.objects.create(
        username="andi", ip_address="10.0.0.7", user_agent="Firefox", path_info="/masuk/", locked_out=True
    )
    listing = visible_text(client.get("/admin/axes/accessattempt/").content.decode())
    assert "Alamat IP" in listing and "Login gagal" in listing and "3 percobaan tersisa" in listing
    assert "Hapus percobaan yang sudah kedaluwarsa" in listing
    change = visible_text(client.get(f"/admin/axes/accessattempt/{failed_login.pk}/change/").content.decode())
    assert "Percobaan login andi" in change

    for url in (
        "/admin/axes/accessattempt/",
        f"/admin/axes/accessattempt/{failed_login.pk}/change/",
        "/admin/axes/accesslog/",
        f"/admin/axes/accesslog/{AccessLog.objects.get(username='andi').pk}/change/",
        "/admin/axes/accessfailurelog/",
        f"/admin/axes/accessfailurelog/{failure.pk}/change/",
    ):
        assert english_left(client, url) == [], url


def test_cleaning_up_expired_attempts_is_reported_in_bahasa_indonesia(client, operator, failed_login):
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [failed_login.pk]},
        follow=True,
    )
    assert "percobaan login kedaluwarsa dihapus." in response.content.decode()
