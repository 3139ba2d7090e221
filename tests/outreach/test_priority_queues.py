"""Issue 16, the check from outside: an elderly citizen whose NIK shows 72 goes first in every queue, through to the
counter, ahead of a 41-year-old who claimed lansia earlier (flagged, not given priority)."""

import pytest
from django.test import Client
from django.urls import reverse

from pencet.cases import services as cases
from pencet.cases.models import Application
from tests.bot.conftest import Citizen, said
from tests.bot.test_understanding import NIK_AGE_41, NIK_OLD, to_priority

pytestmark = pytest.mark.django_db


def console_of(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def first_of(page: str, codes: list[str]) -> str:
    shown = {code: page.index(code) for code in codes if code in page}
    assert len(shown) == len(codes), f"not all listed: {codes}"
    return min(shown, key=shown.get)


def test_the_72_year_old_is_first_in_every_queue_the_41_year_old_is_flagged(
    citizen, client, fake_graph, andi, budi, citra, dewi, settings
):
    settings.OTP_REQUIRED = False
    to_priority(citizen, nik=NIK_AGE_41)
    assert "menurut NIK" in said(citizen.tap("prio:elderly"))
    citizen.tap("submit")
    elder = Citizen(client, fake_graph, phone="6281277770072", user_id="ID.elder", name="Nenek")
    to_priority(elder, nik=NIK_OLD)
    elder.tap("prio:elderly")
    elder.tap("submit")
    younger, older = Application.objects.get(nik=NIK_AGE_41), Application.objects.get(nik=NIK_OLD)
    codes = [younger.tracking_code, older.tracking_code]
    assert younger.submitted_at < older.submitted_at
    assert not younger.priority_elderly and older.priority_elderly

    def first_in(user, url: str) -> str:
        return first_of(console_of(user).get(url).content.decode(), codes)

    assert first_in(andi, reverse("console:queue", args=["submitted"])) == older.tracking_code
    for application in (younger, older):
        cases.application_accept(application=application, actor=andi)
    assert first_in(budi, reverse("console:queue", args=["accepted"])) == older.tracking_code
    for application in (younger, older):
        cases.application_claim(application=application, actor=budi)
    assert first_in(budi, reverse("console:queue", args=["in_process_mine"])) == older.tracking_code
    for application in (younger, older):
        cases.application_complete_siak(application=application, actor=budi, siak_reference="R")
    assert first_in(citra, reverse("console:queue", args=["awaiting_verification"])) == older.tracking_code
    for application in (younger, older):
        cases.application_approve(application=application, actor=citra)
    assert first_in(dewi, reverse("console:queue", args=["awaiting_signature"])) == older.tracking_code
    assert first_in(dewi, reverse("console:sign_list")) == older.tracking_code
    for application in (younger, older):
        cases.application_sign(application=application, actor=dewi)
    assert first_in(andi, reverse("console:queue", args=["ready"])) == older.tracking_code
