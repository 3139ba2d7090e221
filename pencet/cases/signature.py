"""The signer's second, deliberate step before a signature (TTE): the passphrase, checked the same way for the
console and the REST API. The signature itself is applied to the output PDF by pencet.delivery.signing.

Contract:
    signature_confirm(*, actor, passphrase) -> None     raises SignatureNotConfirmed
"""

from django.utils.translation import gettext as _

from pencet.accounts.models import User

from .services import TransitionError

PASSPHRASE_REQUIRED = "passphrase_required"
PASSPHRASE_WRONG = "passphrase_wrong"


class SignatureNotConfirmed(TransitionError):
    """No passphrase (`passphrase_required`) or a wrong one (`passphrase_wrong`): nothing was signed."""


def signature_confirm(*, actor: User, passphrase: str) -> None:
    """The passphrase is the signer's own account password, typed again at the moment of signing: a click alone,
    a session left open on the head of office's desk or a leaked API token signs nothing."""
    if not passphrase:
        raise SignatureNotConfirmed(
            _("Ketik passphrase (kata sandi akun Anda) untuk menandatangani."), code=PASSPHRASE_REQUIRED
        )
    if not actor.check_password(passphrase):
        raise SignatureNotConfirmed(_("Passphrase salah. Tidak ada yang ditandatangani."), code=PASSPHRASE_WRONG)
