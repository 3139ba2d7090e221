"""Every read of personal data leaves a record an office admin can search and export, and nobody can change."""

import csv
import io

import pytest
from django.core.files.base import ContentFile

from pencet.cases.access import AccessKind
from pencet.cases.models import Status
from pencet.cases.models_access import AccessRecord, AccessRecordImmutable
from pencet.delivery.models import OutputDocument

pytestmark = pytest.mark.django_db

NIK = "7307075203150001"


def _only_record() -> AccessRecord:
    records = list(AccessRecord.objects.all())
    assert len(records) == 1, records
    return records[0]


def test_opening_an_application_in_the_console_records_who_what_when_where(client_as, make_application, andi):
    application = make_application()
    response = client_as("andi").get(f"/permohonan/{application.tracking_code}/", REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 200
    record = _only_record()
    assert (record.user, record.username, record.channel) == (andi, "andi", "console")
    assert (record.kind, record.application, record.tracking_code) == (
        "application",
        application,
        application.tracking_code,
    )
    assert record.ip_address == "10.20.30.40"
    assert record.office_id == application.office_id
    assert record.at is not None


def test_a_refused_read_is_no_read(client_as, other_office_application):
    response = client_as("andi").get(f"/permohonan/{other_office_application.tracking_code}/")
    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_files_outputs_and_the_receipt_are_each_recorded(client_as, make_application, attach):
    application = make_application(Status.READY)
    attachment = attach(application)
    output = OutputDocument(application=application, filename="akta.pdf", size=10, sha256="0" * 64)
    output.file.save("akta.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    output.save()
    client = client_as("andi")
    code = application.tracking_code
    assert client.get(f"/permohonan/{code}/lampiran/{attachment.pk}/").status_code == 200
    assert client.get(f"/permohonan/{code}/hasil/{output.pk}/").status_code == 200
    assert client.get(f"/permohonan/{code}/tanda-terima/").status_code == 200
    rows = list(AccessRecord.objects.order_by("pk").values_list("kind", "tracking_code", "object_id"))
    assert rows == [
        ("attachment", code, str(attachment.pk)),
        ("output", code, str(output.pk)),
        ("receipt", code, ""),
    ]


def test_a_console_search_by_nik_records_the_query_and_what_it_showed(client_as, make_application):
    first = make_application()
    second = make_application(applicant_name="Siti Lain")
    response = client_as("budi").get("/cari/", {"q": NIK})
    assert response.status_code == 200
    record = _only_record()
    assert (record.kind, record.query, record.username) == ("search", NIK, "budi")
    assert set(record.shown.split()) == {first.tracking_code, second.tracking_code}


def test_the_api_detail_and_list_are_recorded_as_api_reads(api_as, make_application, citra):
    application = make_application()
    api = api_as("citra")
    status, _body = api.get(f"/applications/{application.tracking_code}")
    assert status == 200
    status, _body = api.get("/applications", q="Siti")
    assert status == 200
    status, _body = api.get("/applications")
    assert status == 200
    rows = list(AccessRecord.objects.order_by("pk").values_list("kind", "channel", "username", "tracking_code"))
    assert rows == [
        ("application", "api", "citra", application.tracking_code),
        ("search", "api", "citra", ""),
        ("list", "api", "citra", ""),
    ]
    assert AccessRecord.objects.get(kind="search").query == "q=Siti"
    assert application.tracking_code in AccessRecord.objects.get(kind="list").shown


def test_complaint_and_survey_exports_are_recorded(client_as, office):
    client = client_as("gita")
    assert client.get("/pengaduan/ekspor/", {"format": "csv"}).status_code == 200
    assert client.get("/pengaduan/ekspor/", {"format": "xlsx"}).status_code == 200
    report = client.get("/survei/")
    assert report.status_code == 200
    period = report.context["period"]
    assert client.get(f"/survei/{period.pk}/xlsx/").status_code == 200
    assert client.get(f"/survei/{period.pk}/pdf/").status_code == 200
    rows = list(AccessRecord.objects.order_by("pk").values_list("kind", "object_type"))
    assert rows == [
        ("export", "complaints"),
        ("export", "complaints"),
        ("export", "survey_xlsx"),
        ("export", "survey_pdf"),
    ]


def test_an_access_record_cannot_be_changed_or_removed(client_as, make_application):
    application = make_application()
    client_as("andi").get(f"/permohonan/{application.tracking_code}/")
    record = _only_record()
    record.username = "orang lain"
    with pytest.raises(AccessRecordImmutable):
        record.save()
    with pytest.raises(AccessRecordImmutable):
        AccessRecord.objects.filter(pk=record.pk).update(username="orang lain")
    with pytest.raises(AccessRecordImmutable):
        AccessRecord.objects.all().delete()
    with pytest.raises(AccessRecordImmutable):
        record.delete()
    assert AccessRecord.objects.get().username == "andi"


def test_the_admin_shows_the_log_read_only(client_as, make_application):
    application = make_application()
    client_as("andi").get(f"/permohonan/{application.tracking_code}/")
    record = _only_record()
    admin = client_as("gita")
    assert admin.get("/admin/cases/accessrecord/").status_code == 200
    assert admin.get(f"/admin/cases/accessrecord/{record.pk}/change/").status_code == 200
    assert admin.get("/admin/cases/accessrecord/add/").status_code == 403
    assert admin.post(f"/admin/cases/accessrecord/{record.pk}/change/", {"username": "x"}).status_code == 403
    assert admin.get(f"/admin/cases/accessrecord/{record.pk}/delete/").status_code == 403


def test_who_saw_my_data_lists_every_read_of_the_citizens_applications(client_as, api_as, make_application):
    mine = make_application()
    someone_else = make_application(applicant_name="Budi Orang Lain", nik="7307071010800003", phone="6281299")
    client_as("andi").get(f"/permohonan/{mine.tracking_code}/")
    client_as("budi").get("/cari/", {"q": "Siti"})
    api_as("citra").get(f"/applications/{mine.tracking_code}")
    client_as("andi").get(f"/permohonan/{someone_else.tracking_code}/")
    client_as("dewi").get("/cari/", {"q": NIK})

    response = client_as("gita").get("/akses/", {"nik": NIK})
    assert response.status_code == 200
    shown = [(r.username, r.kind) for r in response.context["page"]]
    assert sorted(shown) == sorted(
        [
            ("andi", "application"),
            ("budi", "search"),
            ("citra", "application"),
            ("dewi", "search"),
            # Looking the citizen up in the log is itself a read of their NIK.
            ("gita", "access_log"),
        ]
    )
    assert someone_else.tracking_code not in response.content.decode()


def test_the_log_filters_by_code_user_and_date_and_exports_csv(client_as, make_application):
    application = make_application()
    client_as("andi").get(f"/permohonan/{application.tracking_code}/")
    client_as("budi").get(f"/permohonan/{application.tracking_code}/")
    admin = client_as("gita")
    by_user = admin.get("/akses/", {"kode": application.tracking_code, "pegawai": "budi"})
    assert [r.username for r in by_user.context["page"]] == ["budi"]
    tomorrow = admin.get("/akses/", {"dari": "2999-01-01"})
    assert [r.kind for r in tomorrow.context["page"]] == []

    export = admin.get("/akses/", {"kode": application.tracking_code, "format": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["waktu", "pegawai", "kanal", "alamat IP", "jenis"]
    assert sorted(r[1] for r in rows[1:]) == ["andi", "budi"]
    assert {r[5] for r in rows[1:]} == {application.tracking_code}
    # Channel and kind in words, as the admin reads them in the console.
    assert {(r[2], r[4]) for r in rows[1:]} == {("konsol", "membuka permohonan")}
    # The export itself is on record.
    assert AccessRecord.objects.filter(kind=AccessKind.EXPORT, object_type="access_log", username="gita").exists()


def test_only_office_admins_open_the_log_and_only_their_office(client_as, make_application, hasan):
    from pencet.accounts.services import user_roles_set

    application = make_application()
    client_as("andi").get(f"/permohonan/{application.tracking_code}/")
    for persona in ("andi", "budi", "dewi", "eka", "fajar"):
        assert client_as(persona).get("/akses/").status_code == 403, persona
    user_roles_set(user=hasan, roles=["admin"])
    bone = client_as("hasan").get("/akses/")
    assert bone.status_code == 200
    assert [r for r in bone.context["page"] if r.username == "andi"] == []


def test_a_typed_formula_cannot_run_in_the_exported_spreadsheet(client_as):
    client_as("andi").get("/cari/", {"q": "=HYPERLINK(1)"})
    export = client_as("gita").get("/akses/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    searches = [r for r in rows[1:] if r[1] == "andi"]
    assert searches[0][8] == "'=HYPERLINK(1)"
