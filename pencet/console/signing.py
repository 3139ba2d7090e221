"""Signing (TTE) from the console: as a real electronic signature does, nothing is signed until the signer has seen
what is signed and confirmed it with a second, deliberate step, the passphrase."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import User
from pencet.cases.models import Application
from pencet.cases.services import TransitionError, application_sign_many


class SignatureNotConfirmed(TransitionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_confirmed")


def signature_confirm(*, actor: User, passphrase: str) -> None:
    """The passphrase is the signer's own account password, typed again at the moment of signing: a click alone,
    or a session left open on the head of office's desk, signs nothing."""
    if not passphrase:
        raise SignatureNotConfirmed(_("Ketik passphrase (kata sandi akun Anda) untuk menandatangani."))
    if not actor.check_password(passphrase):
        raise SignatureNotConfirmed(_("Passphrase salah. Tidak ada yang ditandatangani."))


@transaction.atomic
def applications_sign_confirmed(
    *, applications: Sequence[Application], actor: User, passphrase: str
) -> list[Application]:
    """Sign one or several applications the signer has reviewed on the confirmation page; all or nothing."""
    if not applications:
        raise TransitionError(_("Pilih minimal satu permohonan untuk ditandatangani."), code="none_chosen")
    signature_confirm(actor=actor, passphrase=passphrase)
    return application_sign_many(applications=applications, actor=actor)
