"""Signing (TTE) as a real electronic signature works: the document exists first, the signer sees that very PDF,
confirms with the passphrase, and the signature is applied to it (pyHanko, PAdES). The console and the REST API
both sign here.

For each output PDF of an application at the moment of signing:
- already validly signed (SIAK's TTE with the BSrE certificate, validated against the office's trust roots): kept
  byte for byte, the head of office's click confirms it;
- unsigned: signed now with the office's signing identity (the demo office's own certificate; an office without
  one in Pencet signs in SIAK and attaches the signed PDF), then validated against the office's trust roots;
- signed but not valid: refused, to be replaced before anyone signs.

A bundle (pencet.cases.components) is signed document by document: `component_sign` applies the signature to that
document's own PDF(s) and moves only that document on; the application is ready after the last one.

Contracts:
    applications_sign(*, applications, actor, passphrase, seen=None) -> list[Application]
    component_sign(*, component, actor, passphrase, seen=None) -> Component
"""

import hashlib
from collections.abc import Mapping, Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.cases.components import component_refusal, component_signed
from pencet.cases.models import Application, Component
from pencet.cases.policies import sign_refusal
from pencet.cases.services import TransitionError, application_sign, refusal_error
from pencet.cases.signature import SignatureNotConfirmed, signature_confirm, signature_refused
from pencet.lib import signing

from .models import OutputDocument, SignatureStatus
from .services import demo_signer_ensure, signature_problem_text


def office_signing_identity(*, office: Office) -> signing.SigningIdentity | None:
    """The key Pencet signs with for `office`: the demo office's own certificate; none for a real office, whose
    head of office signs with the BSrE certificate in SIAK."""
    if office.is_demo:
        return demo_signer_ensure(office=office)
    return None


def applications_sign(
    *,
    applications: Sequence[Application],
    actor: User,
    passphrase: str,
    seen: Mapping[str, Sequence[str]] | None = None,
) -> list[Application]:
    """Sign one or several applications the signer has reviewed; all or nothing.

    `seen`: tracking code → the sha256 of the PDFs the signer was shown (the confirmation page sends them back, an
    API client may send the detail's `outputs[].sha256`); for each application it names, a document added,
    removed or replaced since then refuses the signature.
    """
    if not applications:
        raise TransitionError(_("Pilih minimal satu permohonan untuk ditandatangani."), code="none_chosen")
    written: list[tuple[Storage, str]] = []
    replaced: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            # Who, which status, whether the document exists: judged on locked rows, before the passphrase is asked.
            locked_rows = []
            for application in applications:
                locked = (
                    Application.objects.select_for_update().select_related("office", "service").get(pk=application.pk)
                )
                refusal = sign_refusal(application=locked, actor=actor)
                if refusal is not None:
                    raise refusal_error(refusal)
                locked_rows.append((application, locked))
            signature_confirm(actor=actor, passphrase=passphrase)
            signed = []
            for application, locked in locked_rows:
                outputs = list(locked.outputs.order_by("created_at", "pk"))
                shown = None if seen is None else seen.get(locked.tracking_code)
                if shown is not None and sorted(shown) != sorted(o.sha256 for o in outputs):
                    raise TransitionError(
                        _(
                            "Dokumen hasil %(code)s berubah sejak Anda memeriksanya. Periksa lagi sebelum "
                            "menandatangani; tidak ada yang ditandatangani."
                        )
                        % {"code": locked.tracking_code},
                        code="documents_changed",
                    )
                documents = [
                    _output_seal(output=o, office=locked.office, actor=actor, written=written, replaced=replaced)
                    for o in outputs
                ]
                signed.append(application_sign(application=locked, actor=actor, documents=documents))
                application.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
            # The PDFs as they were before the signature go once the signed ones are committed in their place.
            transaction.on_commit(lambda: _files_delete(replaced))
    except SignatureNotConfirmed as error:
        _files_delete(written)
        raise signature_refused(actor=actor, error=error) from None
    except Exception:
        _files_delete(written)
        raise
    return signed


def component_sign(
    *, component: Component, actor: User, passphrase: str, seen: Sequence[str] | None = None
) -> Component:
    """Sign one document of a bundle, with its own passphrase confirmation; `seen`: the sha256 of the PDFs the
    signer was shown for it (a document changed since refuses the signature)."""
    written: list[tuple[Storage, str]] = []
    replaced: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update()
                .select_related("office", "service")
                .get(pk=component.application_id)
            )
            locked = Component.objects.select_related("service").get(pk=component.pk)
            refusal = component_refusal(component=locked, application=application, name="component_sign", actor=actor)
            if refusal is not None:
                raise refusal_error(refusal)
            signature_confirm(actor=actor, passphrase=passphrase)
            outputs = list(locked.outputs.select_related("application").order_by("created_at", "pk"))
            if seen is not None and sorted(seen) != sorted(o.sha256 for o in outputs):
                raise TransitionError(
                    _(
                        "Dokumen hasil %(document)s berubah sejak Anda memeriksanya. Periksa lagi sebelum "
                        "menandatangani; tidak ada yang ditandatangani."
                    )
                    % {"document": locked.service.name},
                    code="documents_changed",
                )
            documents = [
                _output_seal(output=o, office=application.office, actor=actor, written=written, replaced=replaced)
                for o in outputs
            ]
            signed = component_signed(component=locked, actor=actor, documents=documents)
            transaction.on_commit(lambda: _files_delete(replaced))
    except SignatureNotConfirmed as error:
        _files_delete(written)
        raise signature_refused(actor=actor, error=error) from None
    except Exception:
        _files_delete(written)
        raise
    component.__dict__.update({k: v for k, v in signed.__dict__.items() if not k.startswith("_")})
    return signed


def _output_seal(
    *,
    output: OutputDocument,
    office: Office,
    actor: User,
    written: list[tuple[Storage, str]],
    replaced: list[tuple[Storage, str]],
) -> dict:
    """Apply the signature to one output PDF (or confirm the valid one it carries); what the Event records."""
    if output.signature_status == SignatureStatus.VALID:
        return {"filename": output.filename, "sha256": output.sha256, "signature": "already_valid"}
    if output.signature_status == SignatureStatus.INVALID:
        problem = (output.signature_detail or {}).get("problem_text") or signature_problem_text(
            (output.signature_detail or {}).get("problem", "")
        )
        raise TransitionError(
            _("Tanda tangan pada %(name)s tidak sah: %(problem)s Hapus dokumen itu dan lampirkan yang benar.")
            % {"name": output.filename, "problem": problem},
            code="signature_not_valid",
        )
    identity = office_signing_identity(office=office)
    if identity is None:
        raise TransitionError(
            _(
                "%(name)s belum bertanda tangan elektronik, dan kantor ini tidak menandatangani di Pencet: "
                "tanda tangani dokumennya di SIAK (TTE BSrE), lalu lampirkan PDF hasilnya."
            )
            % {"name": output.filename},
            code="unsigned_output",
        )
    with output.file.open("rb") as handle:
        original = handle.read()
    content = signing.pdf_sign(
        pdf_bytes=original,
        signer=identity,
        reason=_("Ditandatangani secara elektronik oleh %(name)s") % {"name": actor.get_full_name() or actor.username},
        location=office.name,
    )
    check = signing.pdf_signature_check(pdf_bytes=content, trust_roots_pem=office.trust_roots_pem)
    if check.status != signing.VALID:
        raise TransitionError(
            _("Tanda tangan tidak dapat diperiksa dengan sertifikat akar kantor: %(problem)s")
            % {"problem": signature_problem_text(check.problem)},
            code="signature_not_valid",
        )
    digest = hashlib.sha256(content).hexdigest()
    before = {"sha256": output.sha256, "name": output.file.name}
    output.file.save(f"{output.application.tracking_code}-{digest[:8]}.pdf", ContentFile(content), save=False)
    written.append((output.file.storage, output.file.name))
    replaced.append((output.file.storage, before["name"]))
    output.sha256 = digest
    output.size = len(content)
    output.signature_status = check.status
    output.signature_detail = check.as_dict() | {"problem_text": "", "signed_from_sha256": before["sha256"]}
    output.save(update_fields=["file", "sha256", "size", "signature_status", "signature_detail"])
    return {"filename": output.filename, "sha256": digest, "signed_from": before["sha256"], "signature": "applied"}


def _files_delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)
