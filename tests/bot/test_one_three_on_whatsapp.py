"""The check from outside (issue #16.1): a family applies for One Three on WhatsApp and receives three documents,
each given its SIAK reference, verified, signed and handed over or sent separately; they are told of each document."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_hand_over, component_siak_record
from pencet.cases.models import Application, ComponentState, Status
from pencet.catalog.models import Service
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import component_sign
from pencet.lib import signing
from tests.conftest import PASSWORD

from .conftest import said
from .test_conversation import answer_child, apply_for
from .test_subject import applicant, send_every_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_media(settings, tmp_path, office):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    office.is_demo = True
    office.save()


def family_applies(citizen, capture, *, delivery: str) -> Application:
    """The family asks for One Three on WhatsApp and chooses how the documents come (`deliv:pickup`...)."""
    apply_for(citizen, "one-three", "paket")
    send_every_file(citizen)
    applicant(citizen)
    born = timezone.localdate() - timedelta(days=5)
    answers = answer_child(citizen, birth_date=born.strftime("%d-%m-%Y"))
    for _turn in range(8):
        ids = [i for i, _t in citizen.options()]
        if "submit" in ids:
            break
        if "dist:73.07.07" in ids:
            answers = citizen.tap("dist:73.07.07")
        elif "vil:73.07.07.2007" in ids:
            answers = citizen.tap("vil:73.07.07.2007")
        elif "prio:none" in ids:
            answers = citizen.tap("prio:none")
        elif delivery in ids:
            answers = citizen.tap(delivery)
        elif "skip" in ids:
            answers = citizen.tap("skip")
        else:
            raise AssertionError(f"unexpected question: {said(answers)} {ids}")
    with capture(execute=True):
        citizen.tap("submit")
    return Application.objects.get()


def office_works_it_through(application, capture, *, andi, budi, citra) -> list:
    """SIAK input, verification and a PDF for each document; the signature is the test's."""
    components = list(application.components.order_by("position"))
    with capture(execute=True):
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        for number, component in enumerate(components, start=1):
            component_siak_record(component=component, actor=budi, siak_reference=f"7307-{number:04d}")
        for component in components:
            component_approve(component=component, actor=citra)
        application.refresh_from_db()
        for component in components:
            delivery_services.output_specimen_create(application=application, actor=andi, component=component)
    return components


def test_a_family_applies_for_one_three_and_gets_three_documents_signed_one_by_one(
    citizen, demo_media, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    application = family_applies(citizen, capture, delivery="deliv:pickup")
    assert application.service.code == "one-three"
    components = office_works_it_through(application, capture, andi=andi, budi=budi, citra=citra)
    assert [c.service.code for c in components] == ["akta-kelahiran", "kk-perubahan", "kia"]
    told_before = len(citizen.texts())
    for component in components:
        with capture(execute=True):
            component_sign(component=component, actor=dewi, passphrase=PASSWORD)

    told = citizen.texts()[told_before:]
    code = application.tracking_code
    assert [t for t in told if "sudah ditandatangani" in t] == [
        f"✍️ Akta kelahiran untuk permohonan {code} sudah ditandatangani (1 dari 3 dokumen).",
        f"✍️ Kartu Keluarga perubahan data untuk permohonan {code} sudah ditandatangani (2 dari 3 dokumen).",
        f"✍️ Kartu Identitas Anak (KIA) untuk permohonan {code} sudah ditandatangani (3 dari 3 dokumen).",
    ]
    assert "dapat diambil" in told[-1]

    application.refresh_from_db()
    application.office.refresh_from_db()
    assert application.status == Status.READY
    outputs = list(application.outputs.order_by("component__position"))
    assert len(outputs) == 3
    for output, component in zip(outputs, components, strict=True):
        assert output.component_id == component.pk
        with output.file.open("rb") as handle:
            check = signing.pdf_signature_check(
                pdf_bytes=handle.read(), trust_roots_pem=application.office.trust_roots_pem
            )
        assert check.status == signing.VALID
    signatures = application.events.filter(kind="component_sign")
    assert sorted(e.data["component"] for e in signatures) == sorted(c.pk for c in components)

    # At the counter Andi hands the documents over one by one; the family hears of each.
    told_before = len(citizen.texts())
    for number, component in enumerate(components, start=1):
        with capture(execute=True):
            component_hand_over(component=component, actor=andi, collected_by="Sari Wahyuni", is_representative=False)
        application.refresh_from_db()
        assert application.status == (Status.PICKED_UP if number == 3 else Status.READY)
    told = citizen.texts()[told_before:]
    assert f"📄 Akta kelahiran untuk permohonan {code} sudah diserahkan kepada Sari Wahyuni (1 dari 3 dokumen)." in told
    assert any("(3 dari 3 dokumen)" in t and "diserahkan" in t for t in told)
    assert any("sudah diambil" in t for t in told)
    assert set(application.components.values_list("state", flat=True)) == {ComponentState.DONE}
    assert application.events.filter(kind="component_pick_up").count() == 3


def test_a_family_that_chose_whatsapp_gets_each_pdf_on_its_own_and_the_kia_card_at_the_counter(
    citizen, demo_media, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    application = family_applies(citizen, capture, delivery="deliv:whatsapp")
    components = office_works_it_through(application, capture, andi=andi, budi=budi, citra=citra)
    for component in components:
        with capture(execute=True):
            component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    assert "Kartu Identitas Anak (KIA) berupa kartu dan diambil di" in citizen.texts()[-1] + citizen.texts()[-2]
    application.refresh_from_db()
    application.office.refresh_from_db()

    with capture(execute=True):
        delivery_services.application_deliver(application=application, actor=andi)

    assert received_captions(citizen) == [
        "Dokumen 1 dari 3: Akta kelahiran",
        "Dokumen 2 dari 3: Kartu Keluarga perubahan data",
    ]
    assert_signed(citizen, application, count=2)
    application.refresh_from_db()
    assert application.status == Status.READY  # the KIA card is still at the office
    kia = components[2]
    with capture(execute=True):
        component_hand_over(component=kia, actor=andi, collected_by="Sari Wahyuni", is_representative=False)
    application.refresh_from_db()
    assert application.status == Status.PICKED_UP
    assert set(application.components.values_list("state", flat=True)) == {ComponentState.DONE}
    assert application.events.filter(kind="component_deliver").count() == 2


def test_where_the_office_issues_the_kia_as_a_pdf_the_family_receives_all_three_on_whatsapp(
    citizen, demo_media, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
    Service.objects.filter(code="kia").update(delivery_modes=["email", "whatsapp", "pickup"])
    capture = django_capture_on_commit_callbacks
    application = family_applies(citizen, capture, delivery="deliv:whatsapp")
    components = office_works_it_through(application, capture, andi=andi, budi=budi, citra=citra)
    for component in components:
        with capture(execute=True):
            component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    application.refresh_from_db()
    application.office.refresh_from_db()

    with capture(execute=True):
        delivery_services.application_deliver(application=application, actor=andi)

    assert received_captions(citizen) == [
        "Dokumen 1 dari 3: Akta kelahiran",
        "Dokumen 2 dari 3: Kartu Keluarga perubahan data",
        "Dokumen 3 dari 3: Kartu Identitas Anak (KIA)",
    ]
    assert_signed(citizen, application, count=3)
    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert application.events.filter(kind="component_deliver").count() == 3
    assert any("sudah dikirim" in t or "terkirim" in t for t in citizen.texts()[-3:])


def received_captions(citizen) -> list[str]:
    """What each document message the family received says it is (the receipt of the submission aside)."""
    bodies = [b for b in citizen.graph.sent(to=citizen.phone) if b.get("type") == "document"]
    captions = [b["document"]["caption"] for b in bodies]
    return [c.split(" untuk ")[0] for c in captions if c.startswith("Dokumen ")]


def assert_signed(citizen, application, *, count: int) -> None:
    for pdf in citizen.graph.documents(to=citizen.phone)[-count:]:
        check = signing.pdf_signature_check(pdf_bytes=pdf.data, trust_roots_pem=application.office.trust_roots_pem)
        assert check.status == signing.VALID
