"""Staff log in with a password and, unless the demo switches it off, a TOTP code."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pencet.accounts.models import User
from pencet.accounts.services import user_create
from tests.conftest import PASSWORD

HOME = reverse("console:home")
LOGIN = reverse("console:login")
CODE = reverse("console:login_code")
SETUP = reverse("console:otp_setup")


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED = True
    # These tests are about the steps and type a wrong code and then the right one at once; django-otp's wait after
    # a wrong code is left out here and has its own tests (otp_as_in_production below).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return settings


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_with_the_second_factor_off_a_password_is_enough(client, settings, andi):
    settings.OTP_REQUIRED = False
    response = log_in(client, "andi")
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_a_wrong_password_is_refused_in_bahasa_indonesia(client, andi):
    response = log_in(client, "andi", "salah-sekali")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_an_officer_without_an_authenticator_must_enrol_before_reaching_the_console(client, otp_on, andi):
    response = log_in(client, "andi")
    assert response.status_code == 302 and response.url.startswith(SETUP)
    # Logged in with the password only, the console is still closed.
    home = client.get(HOME)
    assert home.status_code == 302 and home.url.startswith(SETUP)

    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=andi, confirmed=False)
    html = page.content.decode()
    assert "<svg" in html
    assert device.config_url.split("secret=")[1].split("&")[0][:4] in html.replace(" ", "")

    response = client.post(SETUP, {"code": code_for(device), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_enrolment_code_leaves_the_console_closed(client, otp_on, andi):
    log_in(client, "andi")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "Kode salah" in response.content.decode()
    assert not TOTPDevice.objects.get(user=andi).confirmed
    assert client.get(HOME).status_code == 302


@pytest.fixture
def enrolled_andi(andi) -> tuple[User, TOTPDevice]:
    return andi, TOTPDevice.objects.create(user=andi, name="Pencet", confirmed=True)


def test_an_officer_with_an_authenticator_is_asked_for_the_code(client, otp_on, enrolled_andi):
    _, device = enrolled_andi
    response = log_in(client, "andi")
    assert response.status_code == 302 and response.url == CODE
    assert client.get(HOME).status_code == 302, "the password alone does not open the console"
    response = client.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused(client, otp_on, enrolled_andi):
    log_in(client, "andi")
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_the_code_page_is_useless_without_the_password_first(client, otp_on, enrolled_andi):
    _, device = enrolled_andi
    response = client.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(HOME).status_code == 302


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, settings, andi):
    settings.OTP_REQUIRED = False
    for _attempt in range(5):
        log_in(client, "andi", "tebak-tebakan")
    response = log_in(client, "andi")
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, otp_on, enrolled_andi):
    _, device = enrolled_andi
    for _attempt in range(5):
        log_in(client, "andi")
        client.post(CODE, {"code": "000000"})
    response = log_in(client, "andi")
    assert response.status_code == 429
    assert client.get(HOME).status_code == 302


def test_a_user_without_a_role_cannot_use_the_console(client, settings, office):
    settings.OTP_REQUIRED = False
    user_create(username="tamu", office=office, roles=[], password=PASSWORD)
    log_in(client, "tamu")
    response = client.get(HOME)
    assert response.status_code == 403
    assert "belum memiliki peran" in response.content.decode()


def test_logging_out_closes_the_console(client, settings, andi):
    settings.OTP_REQUIRED = False
    log_in(client, "andi")
    client.post(reverse("console:logout"))
    assert client.get(HOME).status_code == 302


def test_login_does_not_redirect_to_another_site(client, settings, andi):
    settings.OTP_REQUIRED = False
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "andi", "password": PASSWORD})
    assert response.url == HOME


def test_the_admin_needs_the_second_factor_too(client, otp_on, gita):
    gita.is_superuser = True
    gita.save()
    log_in(client, "gita")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN + "?next=/admin/")
    assert "Masuk ke konsol petugas" in response.content.decode()


@pytest.fixture
def otp_as_in_production(settings, time_machine):
    """The second factor with django-otp's own throttling: after each wrong code every code is refused for 1, 2,
    4 … s. The clock stands still unless the test moves it."""
    settings.OTP_REQUIRED = True
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def test_the_right_code_typed_straight_after_a_wrong_one_is_asked_to_wait_not_called_wrong(
    client, otp_as_in_production, enrolled_andi
):
    _, device = enrolled_andi
    log_in(client, "andi")
    assert "Kode salah" in client.post(CODE, {"code": "000000"}).content.decode()

    page = client.post(CODE, {"code": code_for(device)}).content.decode()
    assert "Tunggu 1 detik" in page and "Kode salah" not in page
    assert client.get(HOME).status_code == 302

    otp_as_in_production.shift(2)
    assert "Kode salah" in client.post(CODE, {"code": "111111"}).content.decode()
    # A second wrong code doubles the wait.
    assert "Tunggu 2 detik" in client.post(CODE, {"code": code_for(device)}).content.decode()

    otp_as_in_production.shift(3)
    response = client.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_an_enrolling_officer_who_retypes_at_once_is_asked_to_wait_then_enrols(client, otp_as_in_production, andi):
    log_in(client, "andi")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=andi, confirmed=False)
    assert "Kode salah" in client.post(SETUP, {"code": "000000"}).content.decode()

    page = client.post(SETUP, {"code": code_for(device)}).content.decode()
    assert "Tunggu 1 detik" in page and "Kode salah" not in page
    device.refresh_from_db()
    assert not device.confirmed

    otp_as_in_production.shift(2)
    response = client.post(SETUP, {"code": code_for(device), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    device.refresh_from_db()
    assert device.confirmed


def test_the_enrolment_page_offers_no_menu_only_the_way_out(client, otp_on, andi):
    log_in(client, "andi")
    page = client.get(SETUP).content.decode()
    assert 'class="main-nav"' not in page and "Antrean" not in page
    assert "Keluar" in page

    device = TOTPDevice.objects.get(user=andi, confirmed=False)
    client.post(SETUP, {"code": code_for(device), "next": HOME})
    assert 'class="main-nav"' in client.get(HOME).content.decode()
