"""The review checklist says what the reviewer will most likely decide, and a reason always belongs to a problem:
an unused alternative starts at "not needed", a canned reason decides its verdict, the chat is folded away."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import ReviewItem, Status
from pencet.whatsapp.models import Contact, InboundMessage

pytestmark = pytest.mark.django_db


def _select(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


@pytest.fixture
def birth_with_letter(make_application, attach, akta_kelahiran):
    """Akta kelahiran with the midwife's letter (not the SPTJM, its alternative), the marriage book and the KK."""
    application = make_application(Status.SUBMITTED)
    for code in ("surat-kelahiran", "buku-nikah", "kk", "formulir"):
        attach(application, requirement=akta_kelahiran.requirements.get(code=code))
    return application


def test_an_unused_alternative_and_an_unsent_optional_start_at_not_needed(client_as, birth_with_letter, akta_kelahiran):
    page = client_as("andi").get(reverse("console:application", args=[birth_with_letter.tracking_code]))
    page = page.content.decode()
    pk = {r.code: r.pk for r in akta_kelahiran.requirements.all()}
    assert '<option value="not_needed" selected>Tidak diperlukan</option>' in _select(
        page, f"verdict_{pk['sptjm-kelahiran']}"
    )
    assert '<option value="not_needed" selected>' in _select(page, f"verdict_{pk['sptjm-suami-istri']}")
    assert '<option value="not_needed" selected>' in _select(page, f"verdict_{pk['laporan-polisi']}")
    assert '<option value="ok" selected>Sesuai</option>' in _select(page, f"verdict_{pk['surat-kelahiran']}")
    # A document every applicant needs can never be waved through as "not needed".
    assert "not_needed" not in _select(page, f"verdict_{pk['kk']}")
    # So the page counts it complete and the accept button takes the focus.
    assert re.search(r'data-autofocus accesskey="t" id="accept"', page)


def test_each_reason_list_is_grouped_by_the_verdict_it_belongs_to(client_as, birth_with_letter, akta_kelahiran):
    page = client_as("andi").get(reverse("console:application", args=[birth_with_letter.tracking_code]))
    kk = akta_kelahiran.requirements.get(code="kk")
    reasons = _select(page.content.decode(), f"reason_{kk.pk}")
    assert re.search(r'<optgroup label="Tidak terbaca" data-verdict="unreadable">.*?Foto buram', reasons, re.S)
    assert 'data-verdict="ok"' not in reasons


def _return(client, application, **rows):
    return client.post(reverse("console:review", args=[application.tracking_code]), {"decision": "return", **rows})


def test_a_canned_reason_decides_the_verdict_and_an_ok_row_keeps_no_reason(
    client_as, birth_with_letter, akta_kelahiran
):
    pk = {r.code: r.pk for r in akta_kelahiran.requirements.all()}
    _return(
        client_as("andi"),
        birth_with_letter,
        # Left at "Sesuai" but given "Foto buram": the photo is unreadable.
        **{f"verdict_{pk['kk']}": "ok", f"reason_{pk['kk']}": "Foto buram"},
        # "Belum ada" with a reason of "Dokumen salah": the reason's verdict wins.
        **{f"verdict_{pk['formulir']}": "missing", f"reason_{pk['formulir']}": "Bukan dokumen yang diminta"},
        # OK with a stray note: recorded as OK, no reason for the citizen to puzzle over.
        **{f"verdict_{pk['buku-nikah']}": "ok", f"note_{pk['buku-nikah']}": "cek lagi"},
        # Not needed: nothing recorded at all.
        **{f"verdict_{pk['sptjm-kelahiran']}": "not_needed"},
    )
    birth_with_letter.refresh_from_db()
    assert birth_with_letter.status == Status.RETURNED
    items = {i.requirement.code: (i.verdict, i.reason) for i in birth_with_letter.review_items.all()}
    assert items["kk"] == (ReviewItem.Verdict.UNREADABLE, "Foto buram")
    assert items["formulir"] == (ReviewItem.Verdict.WRONG_DOCUMENT, "Bukan dokumen yang diminta")
    assert items["buku-nikah"] == (ReviewItem.Verdict.OK, "")
    assert "sptjm-kelahiran" not in items


def test_the_whatsapp_transcript_is_folded_away_until_opened(client_as, make_application, office):
    contact = Contact.objects.create(office=office, phone="6281234500001", last_inbound_at=timezone.now())
    application = make_application(Status.SUBMITTED, contact=contact)
    InboundMessage.objects.create(
        office=office, contact=contact, wamid="wamid.X", type="text", text="Ini KK saya", sent_at=timezone.now()
    )
    page = client_as("andi").get(reverse("console:application", args=[application.tracking_code])).content.decode()
    transcript = re.search(r'<details class="transcript" id="transkrip">.*?</details>', page, re.S).group(0)
    assert "Ini KK saya" in transcript
    assert "Percakapan WhatsApp (1 pesan)" in transcript
    # The events stay in view: created and submitted are outside the folded part.
    history = page[page.index('id="percakapan"') : page.index('id="transkrip"')]
    assert "Ajukan" in history and "Ini KK saya" not in history
