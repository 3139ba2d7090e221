"""Output documents, their signatures, delivery by e-mail or WhatsApp, and the receipt.

Contracts used by the console and the API:
    output_document_add(*, application, uploaded_file, actor) -> OutputDocument
    output_specimen_create(*, application, actor) -> OutputDocument          (demo offices only; unsigned until
                                                                              the head of office signs it)
    output_document_remove(*, output, actor) -> None
    output_signature_recheck(*, output) -> OutputDocument
    application_deliver(*, application, actor, override_reason="") -> list[Delivery]
                                                       (a bundle: one WhatsApp document or e-mail per document)
    delivery_outbound_update(*, message) -> None       (the WhatsApp layer calls it when an outbox row changes;
                                                        defined in pencet.delivery.sent)
    receipt_render(*, application) -> bytes
    demo_signer_ensure(*, office) -> SigningIdentity
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.cases.models import Application, Component, ComponentState, DeliveryPreference, Status
from pencet.cases.policies import bundle_documents_to_send, deliver_refusal, output_refusal
from pencet.cases.services import (
    TransitionError,
    application_note_add,
    refusal_error,
)
from pencet.cases.subject import application_subject_lines, application_subject_name
from pencet.lib import files, signing
from pencet.lib import pdf as pdf_lib
from pencet.lib.nik import nik_mask
from pencet.whatsapp.models import OutboundMessage
from pencet.whatsapp.selectors import contact_window_open
from pencet.whatsapp.services import outbox_enqueue

from .models import Delivery, DemoSigner, OutputDocument
from .receipts import public_status_url, receipt_render  # noqa: F401 - callers import them from here
from .sent import (  # noqa: F401 - callers (settings.WHATSAPP_STATUS_LISTENERS, tasks) import them from here
    deliveries_whatsapp_sync,
    delivery_email_send,
    delivery_email_send_task,
    delivery_outbound_update,
    output_document_name,
    output_document_place,
)

OUTPUT_MAX_BYTES = getattr(settings, "PENCET_OUTPUT_MAX_BYTES", 20 * 1024 * 1024)


def signature_problem_text(problem: str) -> str:
    """The officer's words for a pencet.lib.signing problem code."""
    texts = {
        signing.PROBLEM_TAMPERED: _("Isi dokumen berubah setelah ditandatangani, atau tanda tangannya tidak cocok."),
        signing.PROBLEM_UNTRUSTED: _("Sertifikat penanda tangan tidak berasal dari sertifikat akar tepercaya kantor."),
        signing.PROBLEM_BROKEN: _("Tanda tangan rusak atau tidak dapat diperiksa."),
        signing.PROBLEM_NOT_PDF: _("Berkas bukan PDF."),
    }
    return texts.get(problem, "")


def _check_output_actor(*, application: Application, actor: User, component: Component | None = None) -> None:
    refusal = output_refusal(application=application, user=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    if component is not None and component.application_id != application.pk:
        raise TransitionError(_("Dokumen ini bukan bagian dari permohonan ini."), code="unknown")
    if component is None and application.components.exists():
        # A bundle's PDFs are per document: each is signed and sent as that document.
        raise TransitionError(_("Pilih dokumen paket yang dilampirkan PDF-nya."), code="component_required")


def _output_store(
    *,
    application: Application,
    content: bytes,
    filename: str,
    actor: User,
    is_specimen: bool,
    component: Component | None = None,
) -> OutputDocument:
    digest = hashlib.sha256(content).hexdigest()
    if application.outputs.filter(sha256=digest).exists():
        raise TransitionError(_("Dokumen yang sama sudah dilampirkan."), code="duplicate")
    check = signing.pdf_signature_check(pdf_bytes=content, trust_roots_pem=application.office.trust_roots_pem)
    if check.problem == signing.PROBLEM_NOT_PDF:
        raise TransitionError(_("Berkas bukan PDF. Lampirkan dokumen PDF hasil cetak SIAK."), code="not_pdf")
    detail = check.as_dict() | {"problem_text": signature_problem_text(check.problem)}
    with transaction.atomic():
        output = OutputDocument(
            application=application,
            component=component,
            filename=filename,
            sha256=digest,
            size=len(content),
            signature_status=check.status,
            signature_detail=detail,
            uploaded_by=actor,
            is_specimen=is_specimen,
        )
        output.file.save(f"{application.tracking_code}-{digest[:8]}.pdf", ContentFile(content), save=False)
        output.save()
        application_note_add(
            application=application,
            actor=actor,
            kind="output_added",
            note=_("Dokumen hasil dilampirkan: %(name)s (%(status)s).")
            % {"name": filename, "status": output.get_signature_status_display()},
        )
    return output


def output_document_add(
    *, application: Application, uploaded_file: File, actor: User, component: Component | None = None
) -> OutputDocument:
    """Attach a signed output PDF and record whether its signature validates against the office's roots; a
    bundle's PDF is one `component`'s document."""
    _check_output_actor(application=application, actor=actor, component=component)
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1]
    try:
        # A signed PDF is kept byte for byte (the pipeline never re-encodes PDFs), so its signature stays valid.
        content = files.file_check(
            data=files.file_read(handle=uploaded_file, max_bytes=OUTPUT_MAX_BYTES),
            max_bytes=OUTPUT_MAX_BYTES,
            accept={files.PDF},
        ).data
    except files.FileRejected as error:
        if error.reason == "too_big":
            mb = OUTPUT_MAX_BYTES // 2**20
            raise TransitionError(_("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": mb}) from error
        if error.reason == "empty":
            raise TransitionError(_("Berkas kosong."), code="empty") from error
        if error.reason == "corrupt":
            message = _("Berkas %(name)s rusak atau tidak dapat dibaca.") % {"name": name}
            raise TransitionError(message, code="corrupt") from error
        raise TransitionError(_("Berkas bukan PDF. Lampirkan dokumen PDF hasil cetak SIAK."), code="not_pdf") from error
    try:
        filename = get_valid_filename(name) if name else ""
    except SuspiciousFileOperation:
        filename = ""
    if not filename.lower().endswith(".pdf"):
        filename = f"{application.tracking_code}.pdf"
    return _output_store(
        application=application,
        content=content,
        filename=filename,
        actor=actor,
        is_specimen=False,
        component=component,
    )


def output_signature_recheck(*, output: OutputDocument) -> OutputDocument:
    """Validate again, e.g. after the office's trust roots changed; records the new result."""
    with output.file.open("rb") as handle:
        content = handle.read()
    office = Office.objects.get(pk=output.application.office_id)
    check = signing.pdf_signature_check(pdf_bytes=content, trust_roots_pem=office.trust_roots_pem)
    output.signature_status = check.status
    output.signature_detail = check.as_dict() | {"problem_text": signature_problem_text(check.problem)}
    output.save(update_fields=["signature_status", "signature_detail"])
    return output


def output_document_remove(*, output: OutputDocument, actor: User) -> None:
    """Take back a wrongly attached output, as long as nothing was delivered with it."""
    application = output.application
    _check_output_actor(application=application, actor=actor)
    if output.deliveries.exclude(status=Delivery.Status.FAILED).exists():
        raise TransitionError(_("Dokumen ini sudah dikirim dan tidak dapat dihapus."), code="already_sent")
    with transaction.atomic():
        application_note_add(
            application=application,
            actor=actor,
            kind="output_removed",
            note=_("Dokumen hasil dihapus: %(name)s.") % {"name": output.filename},
        )
        output.delete()
    output.file.delete(save=False)


@transaction.atomic
def demo_signer_ensure(*, office: Office) -> signing.SigningIdentity:
    """The demo office's signing identity, created once; its root is added to the office's trust list."""
    if not office.is_demo:
        raise TransitionError(_("Sertifikat demo hanya untuk kantor demo."), code="not_demo")
    row = DemoSigner.objects.select_for_update().filter(office=office).first()
    if row is None:
        ca = signing.ca_create(common_name=f"Pencet Demo Root CA {office.code} (SPESIMEN)", organization="Pencet demo")
        identity = signing.signer_issue(
            ca=ca, common_name=f"Kepala Dinas {office.name} (SPESIMEN)", organization=office.name[:64]
        )
        row = DemoSigner.objects.create(
            office=office,
            ca_cert_pem=ca.cert_pem,
            ca_key_pem=ca.key_pem,
            cert_pem=identity.cert_pem,
            key_pem=identity.key_pem,
        )
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if row.ca_cert_pem.strip() not in locked.trust_roots_pem:
        locked.trust_roots_pem = (locked.trust_roots_pem.rstrip() + "\n" + row.ca_cert_pem.strip() + "\n").lstrip()
        locked.save(update_fields=["trust_roots_pem"])
    office.trust_roots_pem = locked.trust_roots_pem
    return signing.SigningIdentity(cert_pem=row.cert_pem, key_pem=row.key_pem, chain_pem=row.ca_cert_pem)


def output_specimen_create(
    *, application: Application, actor: User, component: Component | None = None
) -> OutputDocument:
    """A clearly marked specimen of the service's document (or of the bundle's `component`), signed with the demo
    certificate (demo offices only)."""
    _check_output_actor(application=application, actor=actor, component=component)
    office = application.office
    if not office.is_demo:
        raise TransitionError(_("Spesimen hanya dapat dibuat di kantor demo."), code="not_demo")
    identity = demo_signer_ensure(office=office)
    subject_lines = application_subject_lines(application=application)
    if subject_lines:
        # An akta is issued in the child's or the deceased's name; the applicant only reported it.
        lines = [(_("Nama"), application_subject_name(application=application) or "-"), *subject_lines]
        lines.append((_("Pelapor"), f"{application.applicant_name or '-'} ({nik_mask(application.nik) or '-'})"))
    else:
        lines = [(_("Nama"), application.applicant_name or "-"), (_("NIK"), nik_mask(application.nik) or "-")]
    lines += [
        (_("Nomor registrasi SIAK"), (component.siak_reference if component else application.siak_reference) or "-"),
        (_("Desa/Kelurahan"), application.village.name if application.village_id else "-"),
        (_("Tanggal terbit"), date_format(timezone.localtime(), "j F Y")),
    ]
    content = pdf_lib.specimen_pdf(
        office_name=office.name,
        document_title=(component.service if component else application.service).name,
        tracking_code=application.tracking_code,
        lines=lines,
        signer_label=_("Ditandatangani secara elektronik (sertifikat demo)"),
        note=_(
            "Dokumen ini dibuat oleh kantor demo Pencet untuk latihan. Tidak berlaku sebagai dokumen "
            "kependudukan. Dokumen asli dicetak dari SIAK dan ditandatangani dengan sertifikat BSrE."
        ),
    )
    part = f"-{component.service.code}" if component else ""
    filename = get_valid_filename(f"SPESIMEN-{application.tracking_code}{part}.pdf")
    stored = {"application": application, "filename": filename, "actor": actor, "is_specimen": True}
    to_be_signed = component is None or component.state == ComponentState.SIGNATURE
    if application.status == Status.AWAITING_SIGNATURE and to_be_signed:
        # The document to be signed: the head of office sees it and signs it (pencet.delivery.signing).
        return _output_store(content=content, component=component, **stored)
    # Already signed: a replacement for a wrong document carries the demo certificate's signature at once.
    signed = signing.pdf_sign(
        pdf_bytes=content,
        signer=identity,
        reason=_("Spesimen Pencet — bukan dokumen resmi"),
        location=office.name,
    )
    return _output_store(content=signed, component=component, **stored)


def application_deliver(*, application: Application, actor: User | None, override_reason: str = "") -> list[Delivery]:
    """Send the outputs following the applicant's preference; the application is marked delivered once sent.

    Refuses unless every output's signature is valid, except with an override reason (recorded).
    E-mail goes out from a Huey task after commit; WhatsApp documents through the outbox.
    """
    override_reason = override_reason.strip()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("office", "service").get(pk=application.pk)
        refusal = deliver_refusal(application=locked, actor=actor)
        if refusal is not None:
            raise refusal_error(refusal)
        preference = locked.delivery_preference
        outputs = list(
            locked.outputs.select_related("component__service", "application__service").order_by(
                "component__position", "created_at", "pk"
            )
        )
        if locked.components.exists():
            # A bundle sends each document still to go on its own: not one already delivered (an earlier send where
            # one document failed), nor a card, which is handed over at the counter (cases.policies).
            travelling = {c.pk for c in bundle_documents_to_send(application=locked)}
            outputs = [o for o in outputs if o.component_id in travelling]
        if locked.deliveries.filter(status=Delivery.Status.QUEUED).exists():
            raise TransitionError(_("Pengiriman sebelumnya masih dalam antrean."), code="already_queued")
        not_valid = [o for o in outputs if not o.is_valid]
        if not_valid and not override_reason:
            raise TransitionError(
                _(
                    "Tanda tangan dokumen belum sah: %(files)s. Lampirkan dokumen bertanda tangan sah, "
                    "atau kirim dengan pengecualian dan tuliskan alasannya."
                )
                % {"files": ", ".join(f"{o.filename} ({o.get_signature_status_display()})" for o in not_valid)},
                code="signature_not_valid",
            )
        recorded_override = override_reason if not_valid else ""
        batch = uuid.uuid4().hex
        if preference == DeliveryPreference.EMAIL:
            deliveries = _email_deliveries_queue(
                application=locked, outputs=outputs, actor=actor, override=recorded_override, batch=batch
            )
        else:
            deliveries = _whatsapp_deliveries_queue(
                application=locked, outputs=outputs, actor=actor, override=recorded_override, batch=batch
            )
        if recorded_override:
            application_note_add(
                application=locked,
                actor=actor,
                actor_label="" if actor else "sistem",
                kind="delivery_override",
                note=_("Dikirim dengan pengecualian tanda tangan: %(reason)s") % {"reason": recorded_override},
            )
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return deliveries


def _email_deliveries_queue(
    *, application: Application, outputs: list[OutputDocument], actor: User | None, override: str, batch: str
) -> list[Delivery]:
    """One e-mail with every PDF; a bundle sends one e-mail per document, each saying which of how many it is."""
    if not application.email:
        raise TransitionError(_("Alamat e-mail pemohon belum diisi."), code="no_email")
    groups: dict[int | None, list[OutputDocument]] = {}
    for output in outputs:
        groups.setdefault(output.component_id, []).append(output)
    deliveries = []
    for documents in groups.values():
        delivery = Delivery.objects.create(
            application=application,
            channel=Delivery.Channel.EMAIL,
            recipient=application.email,
            requested_by=actor,
            override_reason=override,
            batch=batch,
        )
        delivery.documents.set(documents)
        deliveries.append(delivery)
        transaction.on_commit(lambda pk=delivery.pk: delivery_email_send_task(pk))
    application_note_add(
        application=application,
        actor=actor,
        actor_label="" if actor else "sistem",
        kind="delivery_queued",
        note=_("Dokumen dikirim ke e-mail %(to)s (%(count)d e-mail).")
        % {"to": application.email, "count": len(deliveries)},
    )
    return deliveries


def _whatsapp_deliveries_queue(
    *, application: Application, outputs: list[OutputDocument], actor: User | None, override: str, batch: str
) -> list[Delivery]:
    contact = application.contact
    if contact is None:
        raise TransitionError(_("Pemohon belum terhubung dengan kontak WhatsApp."), code="no_contact")
    if not contact_window_open(contact=contact):
        # Outside the window only a template could go out, and a template cannot carry the PDF.
        raise TransitionError(
            _(
                "Pemohon belum mengirim pesan WhatsApp dalam 24 jam terakhir, sehingga dokumen tidak dapat "
                "dikirim sebagai lampiran. Kirim pesan template agar pemohon membalas, lalu kirim lagi; "
                "atau kirim lewat e-mail."
            ),
            code="window_closed",
        )
    deliveries = []
    total = application.components.count()
    for output in outputs:
        caption = _(
            "%(service)s untuk permohonan %(code)s. Dokumen ini ditandatangani secara elektronik dan dapat "
            "dicetak sendiri di kertas A4."
        ) % {"service": output_document_name(output=output), "code": application.tracking_code}
        if output.component_id:
            # The citizen is told which of the bundle's documents this is.
            caption = f"{output_document_place(output=output, total=total)}: {caption}"
        message = outbox_enqueue(
            contact=contact,
            kind=OutboundMessage.Kind.DOCUMENT,
            payload={"storage_name": output.file.name, "filename": output.filename, "caption": caption},
            application=application,
            template_event="document_ready",
            template_params=[application.applicant_name or "-", application.tracking_code, application.service.name],
            sent_by=actor,
        )
        delivery = Delivery.objects.create(
            application=application,
            channel=Delivery.Channel.WHATSAPP,
            recipient=contact.phone or contact.wa_user_id or str(contact.pk),
            outbound_message=message,
            requested_by=actor,
            override_reason=override,
            batch=batch,
        )
        delivery.documents.set([output])
        deliveries.append(delivery)
    application_note_add(
        application=application,
        actor=actor,
        actor_label="" if actor else "sistem",
        kind="delivery_queued",
        note=_("Dokumen dikirim lewat WhatsApp (%(count)d berkas).") % {"count": len(deliveries)},
    )
    return deliveries
