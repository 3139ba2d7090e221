"""The satisfaction survey and complaints on WhatsApp, as a citizen lives them through the signed webhook."""

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.surveys.models import Complaint, SurveyResponse
from pencet.surveys.selectors import complaints_for_user, ikm_report
from pencet.whatsapp.models import OutboundMessage

from .conftest import said
from .test_conversation import submit_ktp_hilang

pytestmark = pytest.mark.django_db


def tap_ending(citizen, suffix: str) -> list[dict]:
    """Tap the option of the latest interactive message whose id ends with `suffix` (a survey score, a sex)."""
    [option_id] = [i for i, _t in citizen.options() if i.endswith(suffix)]
    return citizen.tap(option_id)


@pytest.fixture
def picked_up(citizen, andi, budi, citra, dewi, django_capture_on_commit_callbacks):
    """Sari applied on WhatsApp; the office processed her KTP and she collected it at the counter."""
    application = submit_ktp_hilang(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="KTP.7307.9")
        cases.application_approve(application=application, actor=citra)
        cases.application_sign(application=application, actor=dewi)
        cases.application_pick_up(
            application=application, actor=andi, collected_by="Sari", is_representative=False, originals_seen=[]
        )
    return application


def test_after_pickup_the_citizen_is_invited_once_answers_on_whatsapp_and_counts_in_the_ikm(citizen, office, picked_up):
    invitations = OutboundMessage.objects.filter(template_event="survey_invitation")
    assert invitations.count() == 1
    assert "survei kepuasan" in citizen.last_text()

    answers = citizen.tap_title("Ya, isi survei")
    assert "Jenis kelamin" in said(answers)
    tap_ending(citizen, ":P")
    citizen.tap(citizen.options()[2][0])  # an age group
    citizen.tap(citizen.options()[3][0])  # education
    citizen.tap(citizen.options()[1][0])  # occupation
    for _element in range(9):
        answers = tap_ending(citizen, ":4")
    assert "saran" in said(answers)
    answers = citizen.say("Pelayanan cepat, terima kasih")
    assert "Jawaban survei Anda sudah kami terima" in said(answers)

    today = timezone.localdate()
    report = ikm_report(office=office, date_from=today.replace(day=1), date_to=today)
    assert report.respondents == 1
    assert report.ikm == 100.0
    assert report.grade == "A"
    response = SurveyResponse.objects.get()
    assert (response.channel, response.sex, response.service.code) == ("whatsapp", "P", "ktp-hilang-rusak")
    assert invitations.count() == 1

    # The survey is over: the bot answers as usual again.
    answers = citizen.say("terima kasih pak")
    assert "Sama-sama" in said(answers)


def test_a_citizen_ignoring_the_invitation_is_served_by_the_bot(citizen, picked_up):
    answers = citizen.say("mau bikin akta lahir anak saya")
    assert "*Akta kelahiran*" in said(answers)


def test_a_complaint_filed_on_whatsapp_reaches_the_queue_with_its_code(citizen, picked_up, andi):
    answers = citizen.say("pengaduan")
    assert "tuliskan pengaduan" in said(answers)
    citizen.say("Petugas loket 2 kasar waktu saya tanya syarat KTP")
    assert picked_up.tracking_code in [title for _i, title in citizen.options()]
    answers = citizen.tap(f"aduapp:{picked_up.pk}")
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in said(answers)
    assert complaint.channel == "whatsapp"
    assert complaint.application == picked_up
    assert complaint.category == "petugas"
    assert complaint.text == "Petugas loket 2 kasar waktu saya tanya syarat KTP"
    assert list(complaints_for_user(user=andi)) == [complaint]

    answers = citizen.say(f"status {complaint.tracking_code}")
    assert f"Pengaduan {complaint.tracking_code}: Baru" in said(answers)


def test_a_suggestion_in_one_message_is_filed_at_once(citizen, office):
    citizen.say("halo")
    answers = citizen.say("saran: mohon ruang tunggu diberi kipas angin")
    complaint = Complaint.objects.get()
    assert complaint.text == "mohon ruang tunggu diberi kipas angin"
    assert complaint.category == "saran"
    assert complaint.tracking_code in said(answers)


def test_the_citizen_confirms_on_whatsapp_that_the_complaint_is_settled(
    citizen, office, andi, django_capture_on_commit_callbacks
):
    from pencet.surveys.complaints import complaint_reply

    citizen.say("halo")
    citizen.say("keluhan")
    citizen.say("Antrean di loket lama sekali, dua jam menunggu")
    complaint = Complaint.objects.get()
    assert complaint.category == "waktu"
    with django_capture_on_commit_callbacks(execute=True):
        complaint_reply(complaint=complaint, actor=andi, text="Mohon maaf, loket kedua sudah kami buka.")
    assert "loket kedua" in citizen.last_text()
    ok = next(i for i, _t in citizen.options() if i.startswith("adu:ok:"))
    answers = citizen.tap(ok)
    assert "kami tutup" in said(answers)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
