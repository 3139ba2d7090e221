"""A citizen who chose English books in English; the office still reads Bahasa Indonesia."""

import pytest

from pencet.outreach.models import Booking
from pencet.outreach.services import subscription_follow
from pencet.whatsapp.models import Contact
from tests.bot.conftest import said

pytestmark = pytest.mark.django_db


def test_an_english_speaking_citizen_books_in_english(sari, bonto_katute, pelangi_warga_day,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    sari.say("english")
    contact = Contact.objects.get(phone=sari.phone)
    with django_capture_on_commit_callbacks(execute=True):
        subscription_follow(contact=contact, village=bonto_katute)
    assert "news of mobile service days for Bonto Katute" in sari.last_text()
    answers = sari.say("ktp baru")
    assert "needs you in person" in said(answers)
    sari.tap(sari.option("Bonto Katute"))
    assert "Free hours at Kantor Desa Bonto Katute" in sari.last_text()
    confirmation = said(sari.tap(sari.options()[0][0]))
    assert "Appointment booked" in confirmation
    assert [title for _id, title in sari.options()] == ["Cancel booking", "Move booking", "Village news"]
    assert Booking.objects.get().contact == contact
