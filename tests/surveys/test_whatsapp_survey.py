"""The WhatsApp survey: one invitation after pickup, one tap per question, resumable, and "berhenti" ends it."""

from datetime import timedelta

from django.utils import timezone

from pencet.cases.models import Event
from pencet.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from pencet.surveys.selectors import ikm_report
from pencet.surveys.services import survey_whatsapp_active, survey_whatsapp_answer
from pencet.surveys.subscribers import survey_invite
from pencet.whatsapp.client import MAX_BUTTON_TITLE, MAX_BUTTONS, MAX_LIST_ROWS, MAX_ROW_TITLE
from pencet.whatsapp.models import InboundMessage, OutboundMessage

from .conftest import survey_messages


def _picked_up(ready_application, pick_up):
    application = pick_up(ready_application())
    return application, application.events.get(kind="pick_up")


def _tap(contact, step: str, value: str):
    invitation = SurveyInvitation.objects.get(contact=contact)
    return survey_whatsapp_answer(contact=contact, reply_id=f"svy:{invitation.pk}:{step}:{value}")


def _answer_everything(contact, scores, suggestion_text="Antrean terlalu lama, mohon petugas ditambah"):
    _tap(contact, "start", "yes")
    _tap(contact, "sex", "P")
    _tap(contact, "age", "31-40")
    _tap(contact, "education", "2")
    _tap(contact, "occupation", "3")
    for element, score in enumerate(scores, start=1):
        _tap(contact, f"u{element}", str(score))
    return survey_whatsapp_answer(contact=contact, text=suggestion_text)


def test_siti_is_invited_once_after_picking_up_her_document(ready_application, pick_up, siti):
    application, event = _picked_up(ready_application, pick_up)

    survey_invite(event=event)
    survey_invite(event=event)  # the subscriber retried, or a second event came

    assert SurveyInvitation.objects.filter(application=application).count() == 1
    [invitation] = survey_messages(siti)
    assert invitation.kind == "buttons"
    assert invitation.template_event == "survey_invitation"
    assert invitation.template_params == ["Siti Aminah", application.tracking_code]
    assert "survei kepuasan" in invitation.payload["body"]


def test_other_events_and_applications_without_a_citizen_contact_invite_nobody(ready_application, pick_up):
    application = ready_application()
    survey_invite(event=application.events.get(kind="sign"))
    assert not SurveyInvitation.objects.exists()

    by_village_staff = pick_up(ready_application(contact=None))
    survey_invite(event=by_village_staff.events.get(kind="pick_up"))
    assert not SurveyInvitation.objects.exists()


def test_siti_answers_every_question_with_one_tap_and_her_response_counts_in_the_ikm(
    ready_application, pick_up, siti, office, akta_kelahiran
):
    application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    invitation = SurveyInvitation.objects.get()
    tapped = InboundMessage.objects.create(
        office=office,
        contact=siti,
        wamid="wamid.tap1",
        type="interactive",
        reply_id=f"svy:{invitation.pk}:u4:4",
        text="Gratis",
        sent_at=timezone.now(),
    )

    typed = InboundMessage.objects.create(
        office=office,
        contact=siti,
        wamid="wamid.typed",
        type="text",
        text="Antrean terlalu lama, mohon petugas ditambah",
        sent_at=timezone.now(),
    )
    unrelated = InboundMessage.objects.create(
        office=office,
        contact=siti,
        wamid="wamid.other",
        type="text",
        text="Kemarin saya bilang: Antrean terlalu lama, mohon petugas ditambah. Kapan KIA saya jadi?",
        sent_at=timezone.now(),
    )

    reply = _answer_everything(siti, [4, 3, 3, 4, 3, 4, 4, 2, 3])

    assert "Terima kasih" in reply[0].payload["body"]
    response = SurveyResponse.objects.get()
    assert response.channel == "whatsapp"
    assert response.service == akta_kelahiran
    assert response.date == timezone.localdate()
    assert (response.sex, response.age_group, response.education, response.occupation) == (
        "P",
        "31-40",
        "SMA/SMK",
        "Swasta",
    )
    assert response.suggestion == "Antrean terlalu lama, mohon petugas ditambah"
    assert list(SurveyAnswer.objects.order_by("element").values_list("score", flat=True)) == [4, 3, 3, 4, 3, 4, 4, 2, 3]
    invitation.refresh_from_db()
    assert invitation.state == "completed" and invitation.answers == {}
    tapped.refresh_from_db()
    assert tapped.text == "" and tapped.reply_id == "svy"
    typed.refresh_from_db()
    unrelated.refresh_from_db()
    assert typed.text == "" and unrelated.text.startswith("Kemarin")

    # Σ = 30 → 30/9 × 25 = 83.33, grade B.
    today = timezone.localdate()
    report = ikm_report(office=office, date_from=today, date_to=today)
    assert report.respondents == 1 and report.ikm == 83.33 and report.grade == "B"
    assert report.population == 1


def test_every_question_fits_whatsapp_limits(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    _answer_everything(siti, [1, 2, 3, 4, 1, 2, 3, 4, 1])

    rows = survey_messages(siti)
    assert len(rows) == 1 + 13 + 1  # invitation, 13 questions, the suggestion prompt
    for row in rows:
        for button in row.payload.get("buttons", []):
            assert len(button["title"]) <= MAX_BUTTON_TITLE
        assert len(row.payload.get("buttons", [])) <= MAX_BUTTONS
        list_rows = [r for s in row.payload.get("sections", []) for r in s["rows"]]
        assert len(list_rows) <= MAX_LIST_ROWS
        assert all(len(r["title"]) <= MAX_ROW_TITLE for r in list_rows)
    element_8 = [r for r in rows if "pengaduan pengguna layanan" in r.payload["body"]][0]
    [row_2] = [r for r in element_8.payload["sections"][0]["rows"] if r["id"].endswith(":2")]
    assert row_2["description"] == "Ada tetapi tidak berfungsi"
    fees = [r for r in rows if "biaya/tarif" in r.payload["body"]][0]
    assert [r["title"] for r in fees.payload["sections"][0]["rows"]] == [
        "Sangat mahal",
        "Cukup mahal",
        "Murah",
        "Gratis",
    ]


def test_the_survey_resumes_at_the_current_question_after_a_stray_message_or_an_old_tap(
    ready_application, pick_up, siti
):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    _tap(siti, "start", "yes")
    _tap(siti, "sex", "L")

    again = survey_whatsapp_answer(contact=siti, text="halo?")
    assert "pilih salah satu" in again[0].payload["body"]
    assert "umur" in again[1].payload["body"]
    stale = _tap(siti, "sex", "P")
    assert "umur" in stale[1].payload["body"]
    invitation = SurveyInvitation.objects.get()
    assert invitation.step == "age" and invitation.answers == {"sex": "L"}

    typed = survey_whatsapp_answer(contact=siti, text="45")
    assert "Pendidikan" in typed[0].payload["body"]
    invitation.refresh_from_db()
    assert invitation.answers["age"] == {"age": 45, "age_group": "41-50"}


def test_berhenti_ends_the_survey_politely_and_keeps_nothing(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    _tap(siti, "start", "yes")
    _tap(siti, "sex", "P")

    reply = survey_whatsapp_answer(contact=siti, text=" Berhenti ")

    assert "dihentikan" in reply[0].payload["body"]
    invitation = SurveyInvitation.objects.get()
    assert invitation.state == "stopped" and invitation.answers == {}
    assert not SurveyResponse.objects.exists()
    assert survey_whatsapp_answer(contact=siti, text="mau daftar KTP") is None
    assert "ditutup" in _tap(siti, "u1", "4")[0].payload["body"]


def test_an_invitation_not_taken_up_leaves_other_messages_to_the_bot(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)

    assert survey_whatsapp_answer(contact=siti, text="saya mau buat KIA") is None
    declined = survey_whatsapp_answer(contact=siti, text="Tidak")
    assert "terima kasih" in declined[0].payload["body"].lower()
    assert SurveyInvitation.objects.get().state == "declined"


def test_a_yes_typed_after_the_template_starts_the_survey(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)

    first = survey_whatsapp_answer(contact=siti, text="Ya")

    assert first[0].kind == "buttons" and "Jenis kelamin" in first[0].payload["body"]


def test_an_invitation_older_than_a_week_is_no_longer_followed(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    SurveyInvitation.objects.update(updated_at=timezone.now() - timedelta(days=8))

    assert survey_whatsapp_active(contact=siti) is None
    assert survey_whatsapp_answer(contact=siti, text="ya") is None


def test_outbox_rows_are_queued_for_every_answer(ready_application, pick_up, siti):
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    before = OutboundMessage.objects.filter(contact=siti).count()
    _tap(siti, "start", "yes")
    assert OutboundMessage.objects.filter(contact=siti).count() == before + 1
    assert Event.objects.filter(kind="pick_up").count() == 1


def test_a_contact_who_chose_english_gets_the_survey_in_english(ready_application, pick_up, siti):
    siti.language = "en"
    siti.save()
    _application, event = _picked_up(ready_application, pick_up)
    survey_invite(event=event)
    [invitation] = survey_messages(siti)
    assert [b["title"] for b in invitation.payload["buttons"]] == ["Yes, take the survey", "No, thank you"]

    first = _tap(siti, "start", "yes")

    assert "Your sex?" in first[0].payload["body"]
    assert [b["title"] for b in first[0].payload["buttons"]] == ["Male", "Female"]
