"""The check from outside (issue #16.1): a family applies for One Three on WhatsApp and receives three documents,
each given its SIAK reference, verified and signed separately; they are told of each document as it is signed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record
from pencet.cases.models import Application, ComponentState, Status
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


def test_a_family_applies_for_one_three_and_gets_three_documents_signed_one_by_one(
    citizen, demo_media, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
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
        elif "deliv:pickup" in ids:
            answers = citizen.tap("deliv:pickup")
        elif "skip" in ids:
            answers = citizen.tap("skip")
        else:
            raise AssertionError(f"unexpected question: {said(answers)} {ids}")
    with django_capture_on_commit_callbacks(execute=True):
        citizen.tap("submit")
    application = Application.objects.get()
    assert application.service.code == "one-three"
    components = list(application.components.order_by("position"))
    assert [c.service.code for c in components] == ["akta-kelahiran", "kk-perubahan", "kia"]

    with django_capture_on_commit_callbacks(execute=True):
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        for number, component in enumerate(components, start=1):
            component_siak_record(component=component, actor=budi, siak_reference=f"7307-{number:04d}")
        for component in components:
            component_approve(component=component, actor=citra)
        application.refresh_from_db()
        for component in components:
            delivery_services.output_specimen_create(application=application, actor=andi, component=component)
    told_before = len(citizen.texts())
    for component in components:
        with django_capture_on_commit_callbacks(execute=True):
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

    with django_capture_on_commit_callbacks(execute=True):
        cases.application_pick_up(
            application=application, actor=andi, collected_by="Sari Wahyuni", is_representative=False, originals_seen=[]
        )
    assert set(application.components.values_list("state", flat=True)) == {ComponentState.DONE}
