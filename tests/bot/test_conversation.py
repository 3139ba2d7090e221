"""Whole conversations through the signed webhook, read back from the Graph API stand-in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases.models import Application, Attachment, Channel, Status

from .conftest import document_photo, said

pytestmark = pytest.mark.django_db

NIK_SARI = "7307075205900001"  # Sinjai Borong, perempuan, lahir 12-05-1990


def apply_for(citizen, service_code: str, group: str, *, first: str = "halo") -> list[dict]:
    """From `first` ("halo", or "menu" in the middle of something) through the group and the service to "apply"."""
    citizen.say(first)
    citizen.tap(f"grp:{group}")
    citizen.tap(f"svc:{service_code}")
    return citizen.tap("apply")


def answer_child(citizen, *, birth_date: str) -> list[dict]:
    """Sari's daughter Nur Aisyah, born at home in Bonto Katute; her husband is Ahmad Yani."""
    citizen.say("Nur Aisyah")
    citizen.tap("sex:P")
    citizen.say(birth_date)
    answers = citizen.say("Bonto Katute")
    if "Lanjutkan?" in said(answers):
        citizen.tap("continue")
    citizen.say("Ahmad Yani")
    return citizen.say("Sari Wahyuni")


def answer_identity(
    citizen, *, nik: str = NIK_SARI, event_date: str | None = None, child_born: str | None = None
) -> list[dict]:
    citizen.say("Sari Wahyuni")
    citizen.say(nik)
    citizen.tap("nik_ok")
    if child_born is not None:
        answer_child(citizen, birth_date=child_born)
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    citizen.say("sari@example.com")
    citizen.tap("deliv:email")
    answers = citizen.tap("prio:none")
    if event_date is not None:
        answers = citizen.say(event_date)
    return answers


def test_a_first_message_gets_a_greeting_naming_the_office_and_the_service_menu(citizen):
    answers = citizen.say("assalamualaikum")
    text = said(answers)
    assert "Disdukcapil Kabupaten Sinjai" in text
    assert "1. KK baru" in text
    rows = answers[-1]["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) <= 10
    assert {r["title"] for r in rows} >= {"Kartu Keluarga", "Akta pencatatan sipil", "Bicara dengan petugas"}
    assert all(len(r["title"]) <= 24 for r in rows)


def test_typing_a_number_opens_that_services_information(citizen):
    citizen.say("halo")
    numbers = citizen.last_text().split("\n")
    number = next(line.split(".")[0] for line in numbers if line.endswith(". Akta kelahiran"))
    answers = citizen.say(number)
    text = said(answers)
    assert "SPTJM kebenaran data kelahiran" in text
    assert "60 hari" in text
    assert "Ajukan sekarang?" in text
    assert [title for _id, title in citizen.options()] == ["Ya, ajukan", "Menu"]


def test_a_complete_akta_kelahiran_with_sptjm_instead_of_a_birth_letter(citizen, office):
    apply_for(citizen, "akta-kelahiran", "akta")
    assert "Surat ket. kelahiran" in citizen.last_text()
    citizen.tap_title("SPTJM kelahiran")
    assert "SPTJM kebenaran data kelahiran" in citizen.last_text()
    citizen.photo(document_photo(seed=1))
    citizen.tap("more")
    answers = citizen.photo(document_photo(seed=2))
    assert "2 halaman" in said(answers)
    citizen.tap("done")
    citizen.tap_title("Buku nikah")
    citizen.photo()
    citizen.tap("done")
    assert "Kartu Keluarga" in citizen.last_text()
    citizen.photo()
    citizen.tap("done")
    citizen.pdf()
    citizen.tap("done")
    assert "opsional" in citizen.last_text()
    citizen.tap("skip")
    assert "nama lengkap" in citizen.last_text()
    birth = timezone.localdate() - timedelta(days=10)
    answers = answer_identity(citizen, child_born=birth.strftime("%d-%m-%Y"))
    summary = said(answers)
    assert "Sari Wahyuni" in summary and NIK_SARI in summary and "Bonto Katute" in summary
    assert "Nama anak: Nur Aisyah" in summary and "Jenis kelamin anak: perempuan" in summary
    assert "Tempat lahir anak: Bonto Katute" in summary
    assert "Nama ayah: Ahmad Yani" in summary and "Nama ibu: Sari Wahyuni" in summary
    assert "SPTJM kelahiran F-2.03: 2 halaman" in summary
    assert "terlambat" not in summary
    answers = citizen.tap("submit")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.channel == Channel.WHATSAPP
    assert application.event_date == birth
    text = said(answers)
    assert application.tracking_code in text
    assert "Perkiraan selesai" in text and "WITA" in text
    required = set(application.attachments.values_list("requirement__code", flat=True))
    assert required == {"sptjm-kelahiran", "buku-nikah", "kk", "formulir"}
    assert application.attachments.get(requirement__code="formulir").content_type == "application/pdf"

    answers = citizen.say("status")
    assert application.tracking_code in said(answers) and "Menunggu pemeriksaan" in said(answers)
    answers = citizen.say(f"status {application.tracking_code}")
    assert "Perkiraan selesai" in said(answers)


def test_a_blurred_photo_is_answered_at_once_and_the_resent_photo_replaces_it(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    answers = citizen.photo(document_photo(blurred=True))
    text = said(answers)
    assert "buram" in text
    assert [i for i, _t in citizen.options()] == ["replace", "keep"]
    answers = citizen.photo(document_photo(seed=5))
    assert "diterima (1 halaman)" in said(answers)
    application = Application.objects.get()
    attachments = list(Attachment.objects.filter(application=application))
    assert len(attachments) == 1
    assert attachments[0].quality["problems"] == []
    assert application.events.filter(kind="attachment_removed").count() == 1


def test_a_wrong_nik_is_explained_and_corrected(citizen):
    apply_for(citizen, "ktp-baru", "ktp")
    citizen.photo()
    citizen.tap("done")
    citizen.tap("skip")
    citizen.say("Sari Wahyuni")
    answers = citizen.say("73070752059000")
    assert "16" in said(answers)
    answers = citizen.say("7307079905900001")
    assert "NIK belum benar" in said(answers)
    answers = citizen.say(NIK_SARI)
    text = said(answers)
    assert "perempuan" in text and "12 Mei 1990" in text
    citizen.tap("nik_ok")
    assert Application.objects.get().nik == NIK_SARI


def submit_ktp_hilang(citizen, *, name: str = "Sari Wahyuni", nik: str = NIK_SARI) -> Application:
    """A short application: KK photo, police letter, identity, submit."""
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo(document_photo(seed=11))
    citizen.tap("done")
    citizen.tap_title("Surat hilang")
    citizen.photo(document_photo(seed=12))
    citizen.tap("done")
    citizen.say(name)
    citizen.say(nik)
    citizen.tap("nik_ok")
    citizen.tap("dist:73.07.07")
    # A KTP-el is a card: collected at the office, no e-mail and no delivery question.
    assert "lansia" in citizen.tap("vil:73.07.07.2007")[-1]["interactive"]["body"]["text"]
    citizen.tap("prio:none")
    citizen.tap("submit")
    return Application.objects.exclude(status=Status.CANCELLED).latest("created_at")


def test_a_returned_application_asks_only_for_the_flagged_item_and_is_completed(
    citizen, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
    from pencet.cases import services as cases
    from pencet.catalog.models import Requirement

    application = submit_ktp_hilang(citizen)
    kk = Requirement.objects.get(service=application.service, code="kk")
    with django_capture_on_commit_callbacks(execute=True):
        cases.application_return(
            application=application,
            actor=andi,
            items=[cases.ReviewVerdict(requirement=kk, verdict="unreadable", reason="foto terpotong di bagian bawah")],
        )
    texts = citizen.texts()
    assert "Kartu Keluarga: Tidak terbaca (foto terpotong di bagian bawah)" in texts[-2]
    assert "(1/1) Kirim foto Kartu Keluarga" in texts[-1]
    citizen.photo(document_photo(seed=21))
    answers = citizen.tap("done")
    assert "diperiksa kembali" in said(answers)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    # The stage clock's own "due_changed" events are not the conversation's doing.
    kinds = list(application.events.exclude(kind="due_changed").values_list("kind", flat=True))
    assert kinds == [
        "created",
        "attachment_added",  # KK
        "attachment_added",  # police letter
        "details_changed",  # name
        "details_changed",  # NIK
        "details_changed",  # village (e-mail skipped, pickup and no priority are the defaults)
        "submit",
        "return",
        "attachment_added",  # the new KK, superseding the unreadable one
        "resubmit",
    ]
    replacement = application.events.filter(kind="attachment_added").last()
    assert replacement.data["requirement"] == "kk" and replacement.data["superseded"] == 1
    assert [e.data["fields"] for e in application.events.filter(kind="details_changed")] == [
        ["applicant_name"],
        ["nik"],
        ["village"],
    ]
    old, new = application.attachments.filter(requirement=kk).order_by("created_at")
    assert (old.is_current, new.is_current) == (False, True)
    assert application.attachments.filter(requirement__code="surat-kehilangan", is_current=True).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        cases.application_complete_siak(application=application, actor=budi, siak_reference="KTP.7307.1")
        cases.application_approve(application=application, actor=citra)
        cases.application_sign(application=application, actor=dewi)
    assert "dapat diambil di Disdukcapil Kabupaten Sinjai" in citizen.last_text()
    assert "Bawa dokumen asli" in citizen.last_text()
    with django_capture_on_commit_callbacks(execute=True):
        cases.application_pick_up(
            application=application, actor=andi, collected_by="Sari", is_representative=False, originals_seen=["kk"]
        )
    picked_up, invitation = citizen.texts()[-2:]
    assert "sudah diambil" in picked_up
    assert "survei kepuasan" in invitation


def test_a_village_officer_whose_number_is_registered_after_he_first_wrote_is_known_on_his_next_message(
    client, office, fake_graph, fajar, bonto_katute
):
    from .conftest import Citizen

    fajar.whatsapp_number = ""
    fajar.save()
    staff = Citizen(client, fake_graph, phone="6281355500007", user_id="ID.fajar", name="Fajar")
    assert "aparat desa" not in said(staff.say("halo"))
    fajar.whatsapp_number = "0813 5550 0007"  # as the admin types it
    fajar.save()
    assert "aparat desa Bonto Katute" in said(staff.say("menu"))


def test_a_village_officer_taken_off_the_role_is_answered_as_a_citizen_again(
    client, office, fake_graph, fajar, bonto_katute
):
    from pencet.accounts.models import RoleGrant

    from .conftest import Citizen

    staff = Citizen(client, fake_graph, phone="6281355500007", user_id="ID.fajar", name="Fajar")
    assert "aparat desa Bonto Katute" in said(staff.say("halo"))
    RoleGrant.objects.filter(user=fajar).delete()
    assert "aparat desa" not in said(staff.say("menu"))


def test_a_village_staff_member_applies_for_a_citizen_of_their_village(client, office, fake_graph, fajar, bonto_katute):
    from .conftest import Citizen

    staff = Citizen(client, fake_graph, phone="6281355500007", user_id="ID.fajar", name="Fajar")
    answers = staff.say("halo")
    assert "aparat desa Bonto Katute" in said(answers)
    apply_for(staff, "ktp-hilang-rusak", "ktp")
    staff.photo()
    staff.tap("done")
    staff.tap_title("Surat hilang")
    staff.photo()
    staff.tap("done")
    assert "warga yang diajukan" in staff.last_text()
    staff.say("La Baco")
    staff.say("7307071505600002")
    staff.tap("nik_ok")
    staff.say("0812 3333 4444")
    # The village is theirs: no question about it; a KTP-el is picked up, so no e-mail either.
    assert "lansia" in staff.last_text()
    answers = staff.tap("prio:elderly")
    assert "Bonto Katute" in said(answers) and "628123333444" in said(answers)
    answers = staff.tap("submit")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.channel == Channel.VILLAGE_STAFF
    assert application.submitted_by == fajar
    assert application.village == bonto_katute
    assert application.priority_elderly
    assert application.phone == "6281233334444"
    assert application.tracking_code in said(answers)
    answers = staff.say("status")
    assert "La Baco" in said(answers)


def test_batal_cancels_the_draft_after_confirmation(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    answers = citizen.say("btal")
    assert "Batalkan permohonan" in said(answers)
    answers = citizen.tap("cancel_yes")
    application = Application.objects.get()
    assert application.status == Status.CANCELLED
    assert "sudah dibatalkan" in said(answers)


def test_batal_can_be_withdrawn_and_the_intake_continues(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.say("batal")
    answers = citizen.tap("cancel_no")
    assert "tidak dibatalkan" in said(answers)
    assert "Kirim foto Kartu Keluarga" in said(answers)
    assert Application.objects.get().status == Status.DRAFT


def test_batal_cancels_a_submitted_application_not_yet_accepted(citizen):
    application = submit_ktp_hilang(citizen)
    citizen.say(f"batal {application.tracking_code}")
    citizen.tap("cancel_yes")
    application.refresh_from_db()
    assert application.status == Status.CANCELLED
    assert application.events.last().actor_label == "warga"


def test_a_photo_sent_before_choosing_which_alternative_is_kept_for_the_one_then_chosen(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    answers = citizen.photo()
    assert "Pilih dulu jenisnya" in said(answers) and "persyaratan berikutnya" not in said(answers)
    answers = citizen.tap_title("Surat hilang (polisi)")
    assert "Pakai berkas itu untuk Surat hilang (polisi)?" in said(answers)
    citizen.tap_title("Ya, pakai")
    application = Application.objects.get()
    assert application.attachments.filter(requirement__code="surat-kehilangan").count() == 1


def test_starting_another_service_closes_the_unfinished_draft_and_says_so_first(citizen):
    apply_for(citizen, "akta-kelahiran", "akta")
    draft = Application.objects.get()
    answers = apply_for(citizen, "ktp-hilang-rusak", "ktp", first="menu")
    texts = [body["text"]["body"] for body in answers if body.get("type") == "text"]
    assert f"Draf permohonan Akta kelahiran ({draft.tracking_code}) yang belum selesai kami tutup" in texts[0]
    assert "kita mulai permohonan *KTP-el hilang atau rusak*" in texts[1]
    # Not also the notice of a cancellation the citizen did not ask for, after the new draft's first question.
    assert "sudah dibatalkan" not in said(answers)
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED


def test_a_draft_with_photos_is_closed_for_another_service_only_when_the_citizen_says_so(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    draft = Application.objects.get()
    answers = apply_for(citizen, "akta-kelahiran", "akta", first="menu")
    assert f"draf permohonan KTP-el hilang atau rusak ({draft.tracking_code}) dengan 1 berkas" in said(answers)
    assert citizen.options() == [("replace_yes", "Mulai yang baru"), ("cmd:resume", "Lanjutkan draf")]

    # Back to the draft, where it was: its second file.
    answers = citizen.tap("cmd:resume")
    assert "Surat hilang" in said(answers)
    assert Application.objects.get().status == Status.DRAFT

    apply_for(citizen, "akta-kelahiran", "akta", first="menu")
    answers = citizen.tap("replace_yes")
    assert "kita mulai permohonan *Akta kelahiran*" in said(answers)
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED


def test_a_wish_typed_at_the_cancel_question_keeps_the_application_and_is_answered(citizen):
    application = submit_ktp_hilang(citizen)
    citizen.say("batal")
    answers = citizen.say("mau urus akta lahir anak saya")
    text = said(answers)
    assert "tidak dibatalkan" in text
    assert "*Akta kelahiran*" in text
    assert [title for _i, title in citizen.options()] == ["Ya, ajukan", "Menu"]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_an_accepted_application_cannot_be_cancelled_by_the_citizen(citizen, andi, django_capture_on_commit_callbacks):
    from pencet.cases import services as cases

    application = submit_ktp_hilang(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        cases.application_accept(application=application, actor=andi)
    answers = citizen.say("batal")
    assert "hanya dapat dibatalkan oleh petugas" in said(answers)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_petugas_flags_the_conversation_for_officers(citizen):
    citizen.say("halo")
    answers = citizen.say("ptugas")
    assert "teruskan ke petugas" in said(answers)
    from pencet.whatsapp.models import Contact

    assert Contact.objects.get().needs_human


def test_free_text_while_an_application_is_processed_becomes_a_note_for_officers(citizen):
    application = submit_ktp_hilang(citizen)
    answers = citizen.say("Pak, KTP saya hilang waktu banjir kemarin")
    assert application.tracking_code in said(answers) and "kami catat" in said(answers)
    event = application.events.get(kind="citizen_message")
    assert event.note == "Pak, KTP saya hilang waktu banjir kemarin"


def test_a_photo_sent_before_it_was_asked_for_is_offered_for_the_next_requirement(citizen):
    answers = citizen.photo(document_photo(seed=31))
    assert "sudah kami simpan" in said(answers)
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-hilang-rusak")
    answers = citizen.tap("apply")
    assert "Anda sudah mengirim 1 berkas sebelumnya" in said(answers)
    answers = citizen.tap("use")
    assert "Kartu Keluarga diterima (1 halaman)" in said(answers)
    attachment = Attachment.objects.get()
    assert attachment.requirement.code == "kk"


def test_a_repeated_or_stale_tap_never_creates_a_second_application(citizen):
    from tests.wa import signed_post, wa_button_reply

    citizen.say("halo")
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-hilang-rusak")
    payload = wa_button_reply(reply_id="apply", title="Ya, ajukan")
    signed_post(citizen.client, payload)
    signed_post(citizen.client, payload)
    signed_post(citizen.client, wa_button_reply(reply_id="apply", title="Ya, ajukan"))
    assert Application.objects.count() == 1
    assert sum("Kirim foto Kartu Keluarga" in t for t in citizen.texts()) == 1
    assert "menunggu foto Kartu Keluarga" in citizen.last_text()


def test_a_late_birth_registration_is_explained_before_submitting(citizen):
    apply_for(citizen, "akta-kelahiran", "akta")
    for _slot in range(4):
        citizen.tap(citizen.options()[0][0]) if citizen.options() and citizen.options()[0][0].startswith(
            "alt:"
        ) else None
        citizen.photo()
        citizen.tap("done")
    citizen.tap("skip")
    late = (timezone.localdate() - timedelta(days=100)).strftime("%d/%m/%Y")
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)
    citizen.tap("nik_ok")
    citizen.say("Nur Aisyah")
    citizen.tap("sex:P")
    # The child's birth date is the date the 60 days count from: asked once, and the notice comes right after it.
    answers = citizen.say(late)
    text = said(answers)
    assert "sudah lewat 40 hari" in text and "keputusan Kepala Dinas" in text
    answers = citizen.tap("continue")
    assert "Tempat lahir anak" in said(answers)
    citizen.say("Bonto Katute")
    citizen.say("Ahmad Yani")
    citizen.say("Sari Wahyuni")
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    citizen.tap("skip")
    citizen.tap("deliv:pickup")
    answers = citizen.tap("prio:none")
    assert "Pelaporan terlambat" in said(answers)
    assert Application.objects.get().event_date == timezone.localdate() - timedelta(days=100)


def kk_hilang_to_the_nik(citizen) -> None:
    """A KK hilang (a KK travels as a PDF, so its applicant is asked for an e-mail address), up to the NIK's check."""
    apply_for(citizen, "kk-hilang-rusak", "kk")
    citizen.tap_title("Surat hilang")
    citizen.photo(document_photo(seed=13))
    citizen.tap("done")
    citizen.photo(document_photo(seed=14))
    citizen.tap("done")
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)


def test_an_office_that_starts_printing_kk_on_blanko_still_asks_the_priority_of_a_citizen_at_the_email_question(
    citizen,
):
    """The admin sets KK to pickup only while Sari waits at the e-mail question: her skip goes on to the priority
    question, not straight to the summary."""
    from pencet.catalog.models import Service

    kk_hilang_to_the_nik(citizen)
    citizen.tap("nik_ok")
    citizen.tap("dist:73.07.07")
    assert "e-mail" in said(citizen.tap("vil:73.07.07.2007"))
    Service.objects.filter(code="kk-hilang-rusak").update(delivery_modes=["pickup"])
    answers = citizen.tap("skip")
    assert "lansia" in said(answers)
    assert "Periksa kembali" not in said(answers)


def test_a_village_can_be_typed_with_a_typo_and_a_summary_item_corrected(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    citizen.tap_title("Surat hilang")
    citizen.photo()
    citizen.tap("done")
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)
    citizen.tap("nik_ok")
    answers = citizen.say("bonto katut")
    rows = answers[-1]["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0]["title"] == "Bonto Katute"
    citizen.tap(rows[0]["id"])
    summary = said(citizen.tap("prio:none"))
    # A KTP-el is picked up at the office: nothing in the summary is about an e-mail address.
    assert "Nama pemohon: Sari Wahyuni" in summary and "E-mail" not in summary
    citizen.tap("edit")
    citizen.tap("edit:name")
    answers = citizen.say("Sari Wahyuningsih")
    assert "Nama pemohon: Sari Wahyuningsih" in said(answers)
    citizen.tap("submit")
    assert Application.objects.get().applicant_name == "Sari Wahyuningsih"


def test_an_untouched_draft_expires_with_a_notice(citizen, settings, django_capture_on_commit_callbacks):
    from pencet.bot.models import Conversation
    from pencet.bot.services import bot_drafts_expire

    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    long_ago = timezone.now() - timedelta(days=settings.PENCET_DRAFT_EXPIRY_DAYS + 1)
    Application.objects.update(updated_at=long_ago)
    assert bot_drafts_expire() == 0  # the conversation itself is recent
    Conversation.objects.update(updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert bot_drafts_expire() == 1
    assert Application.objects.get().status == Status.EXPIRED
    assert "tidak dilanjutkan" in citizen.last_text()
    answers = citizen.say("halo")
    assert "Pilih layanan" in said(answers)


def test_english_on_request_is_remembered_and_used(citizen):
    from pencet.whatsapp.models import Contact

    citizen.say("halo")
    answers = citizen.say("english")
    assert "I will answer in English" in said(answers)
    assert Contact.objects.get().language == "en"
    answers = citizen.say("menu")
    assert "Choose the service you need" in said(answers)
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-hilang-rusak")
    answers = citizen.tap("apply")
    assert "Send a photo of: Kartu Keluarga" in said(answers)
    answers = citizen.say("bahasa indonesia")
    assert "Bahasa Indonesia" in said(answers)
    assert "Kirim foto Kartu Keluarga" in said(answers)


def test_a_citizen_back_after_a_pause_is_reminded_where_they_were(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    answers = citizen.say("selamat pagi")
    text = said(answers)
    assert "Kita lanjutkan permohonan KTP-el hilang atau rusak" in text
    assert "Kirim foto Kartu Keluarga" in text


def test_the_menu_offers_to_resume_an_unfinished_draft(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    citizen.say("menu")
    assert citizen.options()[0] == ("cmd:resume", "Lanjutkan draf")
    answers = citizen.tap("cmd:resume")
    assert "Surat hilang" in said(answers)
    assert Application.objects.get().status == Status.DRAFT


def test_yes_typed_instead_of_tapped_works(citizen):
    citizen.say("halo")
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-hilang-rusak")
    answers = citizen.say("ya")
    assert "Kirim foto Kartu Keluarga" in said(answers)


def test_a_photo_sent_after_the_last_file_is_said_to_be_not_needed_and_the_question_repeated(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    citizen.tap_title("Surat hilang")
    citizen.photo()
    citizen.tap("done")
    answers = citizen.photo()
    text = said(answers)
    assert "tidak kami perlukan" in text and "nama lengkap" in text
    assert "sudah kami simpan" not in text
    assert Attachment.objects.count() == 2
    from pencet.bot.models import Conversation

    assert "pending" not in Conversation.objects.get().data


def test_an_unexpected_error_still_answers_and_flags_the_conversation(citizen, monkeypatch):
    from dataclasses import replace

    from pencet.bot import engine
    from pencet.bot.conversation import State
    from pencet.whatsapp.models import Contact

    citizen.say("halo")

    def broken(ctx):
        raise RuntimeError("bug")

    monkeypatch.setitem(engine.STEPS, State.MENU, replace(engine.STEPS[State.MENU], answer=broken))
    answers = citizen.say("sesuatu")
    assert "terjadi kendala" in said(answers)
    assert Contact.objects.get().needs_human


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("akta lahir", "*Akta kelahiran*"),
        ("KTP hilang", "*KTP-el hilang atau rusak*"),
        ("kk", "Layanan Kartu Keluarga"),
    ],
)
def test_a_service_can_be_named_instead_of_chosen(citizen, typed, expected):
    citizen.say("halo")
    answers = citizen.say(typed)
    assert expected in said(answers)


def test_a_district_with_more_than_ten_villages_is_paged(citizen):
    from pencet.regions.models import Region

    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo()
    citizen.tap("done")
    citizen.tap_title("Surat hilang")
    citizen.photo()
    citizen.tap("done")
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)
    citizen.tap("nik_ok")
    citizen.tap("dist:73.07.03")
    first = citizen.options()
    assert len(first) == 10 and first[-1] == ("vpage:1", "Berikutnya ▶")
    citizen.tap("vpage:1")
    second = citizen.options()
    shown = {i for i, _t in first[:-1] + second if i.startswith("vil:")}
    villages = set(Region.objects.filter(parent_id="73.07.03").values_list("code", flat=True))
    assert shown == {f"vil:{code}" for code in villages}
    last = sorted(villages)[-1]
    citizen.tap(f"vil:{last}")
    assert Application.objects.get().village_id == last


def test_after_asking_for_an_officer_free_text_waits_for_the_officer(citizen):
    from pencet.whatsapp.models import InboundMessage

    citizen.say("halo")
    citizen.say("petugas")
    answers = citizen.say("Saya mau tanya soal KTP ibu saya yang sudah meninggal")
    assert answers == []
    assert InboundMessage.objects.filter(text__startswith="Saya mau tanya").exists()


def test_numbers_answer_lists_too_and_a_file_can_be_replaced_from_the_summary(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo(document_photo(seed=41))
    citizen.tap("done")
    answers = citizen.say("2")
    assert "Kirim foto KTP-el yang rusak" in said(answers)
    citizen.photo(document_photo(seed=42))
    citizen.tap("done")
    citizen.say("Sari Wahyuni")
    citizen.say(NIK_SARI)
    citizen.say("benar")
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    citizen.say("lewati")
    citizen.say("ambil di kantor")
    citizen.say("tidak")
    assert "Periksa kembali" in citizen.last_text()
    citizen.tap("edit")
    citizen.tap("edit:files")
    citizen.tap("eslot:0")
    citizen.photo(document_photo(seed=43))
    answers = citizen.tap("done")
    assert "Kartu Keluarga: 1 halaman" in said(answers)
    citizen.tap("submit")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    kk = application.attachments.get(requirement__code="kk")
    damaged_card = application.attachments.get(requirement__code="ktp-rusak")
    assert kk.created_at > damaged_card.created_at  # the replacement; the first KK photo is gone
    assert application.attachments.count() == 2
    assert application.events.get(kind="attachment_removed").data["requirements"] == ["kk"]


def test_a_blurred_photo_sent_before_it_was_asked_for_gets_the_blur_warning_when_used(citizen):
    citizen.photo(document_photo(blurred=True))
    citizen.photo(document_photo(seed=7))
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-hilang-rusak")
    citizen.tap("apply")
    answers = citizen.tap("use")
    text = said(answers)
    assert "buram" in text
    assert [i for i, _t in citizen.options()] == ["replace", "keep"]
    answers = citizen.photo(document_photo(seed=8))
    assert "Kartu Keluarga diterima (2 halaman)" in said(answers)
    kept = Attachment.objects.filter(is_current=True)
    assert kept.count() == 2
    assert all(a.quality["problems"] == [] for a in kept)
