"""Complaints (PermenPANRB 62/2018): filed on WhatsApp or at the counter, answered, escalated when late, closed."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from pencet.surveys import complaints as svc
from pencet.surveys.models import Complaint
from pencet.whatsapp.models import OutboundMessage


def _from_siti(office, siti, **extra) -> Complaint:
    return svc.complaint_file(
        office=office,
        contact=siti,
        text="Sudah seminggu akta anak saya belum jadi, padahal katanya sehari jadi.",
        category="waktu",
        channel="whatsapp",
        **extra,
    )


def test_a_complaint_on_whatsapp_gets_a_tracking_code_and_an_acknowledgement(office, siti, api_as):
    complaint = _from_siti(office, siti)

    assert re.fullmatch(r"ADU-SNJ-\d{4}-0001", complaint.tracking_code)
    assert complaint.status == "new"
    # 24 working hours of 8-hour days: at least two calendar days away.
    assert complaint.due_at - complaint.created_at >= timedelta(days=2)
    [ack] = OutboundMessage.objects.filter(contact=siti)
    assert complaint.tracking_code in ack.payload["body"]
    assert svc.complaint_whatsapp_status(contact=siti, code=complaint.tracking_code.lower()).endswith("Baru.")

    status, page = api_as("andi").get("/complaints", status="open")
    assert status == 200 and page["count"] == 1
    assert page["items"][0]["tracking_code"] == complaint.tracking_code


def test_an_unanswered_complaint_past_its_target_goes_to_the_head_of_office_once(
    office, siti, dewi, django_capture_on_commit_callbacks
):
    dewi.email = "kadis@sinjaikab.go.id"
    dewi.save()
    complaint = _from_siti(office, siti)

    assert svc.complaints_escalate(now=complaint.due_at - timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.complaints_escalate(now=complaint.due_at + timedelta(minutes=1)) == 1
    assert svc.complaints_escalate(now=complaint.due_at + timedelta(hours=5)) == 0

    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    assert complaint.entries.filter(kind="escalate").count() == 1
    [message] = mail.outbox
    assert message.to == ["kadis@sinjaikab.go.id"] and complaint.tracking_code in message.subject


def test_an_answered_complaint_is_not_escalated(office, siti, andi):
    complaint = _from_siti(office, siti)
    svc.complaint_reply(complaint=complaint, actor=andi, text="Akta sudah kami cetak hari ini.")
    assert svc.complaints_escalate(now=complaint.due_at + timedelta(days=1)) == 0


def test_andi_replies_and_siti_confirms_on_whatsapp_which_closes_it(office, siti, andi):
    complaint = _from_siti(office, siti)
    svc.complaint_note_add(complaint=complaint, actor=andi, text="Cek ke operator: berkas tertahan di verifikasi.")

    svc.complaint_reply(complaint=complaint, actor=andi, text="Mohon maaf, akta sudah selesai dan dapat diambil.")

    complaint.refresh_from_db()
    assert complaint.status == "answered"
    reply = OutboundMessage.objects.filter(contact=siti, kind="buttons").get()
    assert "akta sudah selesai" in reply.payload["body"]
    assert "operator" not in reply.payload["body"]  # the internal note stays inside
    assert reply.template_event == "officer_message"
    ids = [b["id"] for b in reply.payload["buttons"]]
    assert ids == [f"adu:ok:{complaint.pk}", f"adu:no:{complaint.pk}"]

    assert "kami tutup" in svc.complaint_whatsapp_reply(contact=siti, reply_id=ids[0])
    assert "kami tutup" in OutboundMessage.objects.filter(contact=siti).last().payload["body"]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.confirmed_via) == ("closed", "whatsapp")
    assert complaint.closed_at is not None
    assert svc.complaint_whatsapp_reply(contact=siti, reply_id="something else") is None


def test_siti_says_it_is_not_settled_and_the_complaint_reopens(office, siti, andi):
    complaint = _from_siti(office, siti)
    svc.complaint_reply(complaint=complaint, actor=andi, text="Sudah kami tindak lanjuti.")

    svc.complaint_whatsapp_reply(contact=siti, reply_id=f"adu:no:{complaint.pk}")

    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert complaint.entries.filter(kind="reopen").exists()


def test_closing_needs_an_answer_first_and_the_citizens_confirmation(office, siti, andi):
    complaint = _from_siti(office, siti)
    with pytest.raises(svc.ComplaintError) as refused:
        svc.complaint_close(complaint=complaint, actor=andi, confirmed_via="counter")
    assert refused.value.code == "not_answered"
    svc.complaint_reply(complaint=complaint, actor=andi, text="Sudah selesai.")
    with pytest.raises(svc.ComplaintError):
        svc.complaint_close(complaint=complaint, actor=andi, confirmed_via="")
    closed = svc.complaint_close(complaint=complaint, actor=andi, confirmed_via="counter")
    assert closed.status == "closed"


def test_an_operator_handles_only_what_is_assigned_to_them(office, siti, andi, budi):
    complaint = _from_siti(office, siti)
    with pytest.raises(svc.ComplaintError):
        svc.complaint_reply(complaint=complaint, actor=budi, text="x")
    svc.complaint_assign(complaint=complaint, actor=andi, assignee=budi)
    svc.complaint_reply(complaint=complaint, actor=budi, text="Sudah saya proses.")
    assert Complaint.objects.get().status == "answered"


def test_the_api_files_a_counter_complaint_about_an_application_with_the_consoles_rules(
    api_as, ready_application, fajar
):
    application = ready_application()
    body = {"text": "Petugas loket meminta uang.", "category": "biaya", "application": application.tracking_code}

    status, created = api_as("andi").post("/complaints", {**body, "citizen_name": "Siti Aminah"})

    assert status == 201, created
    assert created["channel"] == "counter" and created["application"] == application.tracking_code
    assert api_as("eka").post("/complaints", body)[0] == 403  # leadership only reads
    assert api_as("eka").get("/complaints")[1]["count"] == 1
    assert api_as("hasan").get("/complaints")[1]["count"] == 0  # another office
    assert api_as("hasan").get(f"/complaints/{created['tracking_code']}")[0] == 404
    assert api_as("fajar").get("/complaints")[1]["count"] == 0  # village staff: only what they filed
    assert api_as("andi").post("/complaints", {**body, "category": "nope"})[0] == 422

    code = created["tracking_code"]
    assert api_as("budi").post(f"/complaints/{code}/reply", {"text": "x"})[0] == 403
    assert api_as("andi").post(f"/complaints/{code}/assign", {"assignee": "budi"})[0] == 200
    status, answered = api_as("budi").post(f"/complaints/{code}/reply", {"text": "Sudah kami tegur."})
    assert status == 200 and answered["status"] == "answered"
    status, closed = api_as("andi").post(f"/complaints/{code}/close", {"confirmed_via": "counter"})
    assert status == 200 and closed["status"] == "closed"
    assert [e["kind"] for e in closed["entries"]] == ["assign", "reply", "close"]
