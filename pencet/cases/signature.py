"""The signer's second, deliberate step before a signature (TTE): the passphrase, checked the same way for the
console and the REST API. The signature itself is applied to the output PDF by pencet.delivery.signing.

Contract:
    signature_confirm(*, actor, passphrase) -> None     raises SignatureNotConfirmed
    signature_failure_record(*, actor) -> datetime | None   after a wrong passphrase, outside the signing
                                                        transaction; the end of the lock when it locked signing

Five wrong passphrases in a row lock the signer's signing for 15 minutes (`passphrase_locked`), as a certificate
authority's signing service does: the passphrase is the account password, and a leaked API token or a session left
open must not become a way to guess it. A right passphrase resets the count.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import User

from .services import TransitionError

PASSPHRASE_REQUIRED = "passphrase_required"
PASSPHRASE_WRONG = "passphrase_wrong"
PASSPHRASE_LOCKED = "passphrase_locked"
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


class SignatureNotConfirmed(TransitionError):
    """No passphrase (`passphrase_required`), a wrong one (`passphrase_wrong`) or signing locked after too many
    wrong ones (`passphrase_locked`): nothing was signed."""


def _locked_error(*, until: datetime) -> SignatureNotConfirmed:
    local = timezone.localtime(until)
    return SignatureNotConfirmed(
        _(
            "Passphrase salah %(count)d kali berturut-turut. Demi keamanan, tanda tangan dikunci sampai pukul "
            "%(time)s. Tidak ada yang ditandatangani."
        )
        % {"count": MAX_FAILURES, "time": local.strftime("%H.%M")},
        code=PASSPHRASE_LOCKED,
    )


def signature_confirm(*, actor: User, passphrase: str) -> None:
    """The passphrase is the signer's own account password, typed again at the moment of signing: a click alone,
    a session left open on the head of office's desk or a leaked API token signs nothing."""
    # Read from the row, not the caller's copy: another request may have locked signing a moment ago.
    locked_until = User.objects.filter(pk=actor.pk).values_list("passphrase_locked_until", flat=True).first()
    if locked_until is not None and locked_until > timezone.now():
        raise _locked_error(until=locked_until)
    if not passphrase:
        raise SignatureNotConfirmed(
            _("Ketik passphrase (kata sandi akun Anda) untuk menandatangani."), code=PASSPHRASE_REQUIRED
        )
    if not actor.check_password(passphrase):
        raise SignatureNotConfirmed(_("Passphrase salah. Tidak ada yang ditandatangani."), code=PASSPHRASE_WRONG)
    User.objects.filter(pk=actor.pk, passphrase_failures__gt=0).update(passphrase_failures=0)


@transaction.atomic
def signature_failure_record(*, actor: User) -> datetime | None:
    """Count a wrong passphrase; the fifth in a row locks signing, and the moment it ends is returned. Call it
    after the signing transaction rolled back, so the count survives the refusal."""
    User.objects.filter(pk=actor.pk).update(passphrase_failures=F("passphrase_failures") + 1)
    failures = User.objects.select_for_update().values_list("passphrase_failures", flat=True).get(pk=actor.pk)
    if failures < MAX_FAILURES:
        return None
    locked_until = timezone.now() + LOCK_DURATION
    User.objects.filter(pk=actor.pk).update(passphrase_failures=0, passphrase_locked_until=locked_until)
    return locked_until


def signature_refused(*, actor: User, error: SignatureNotConfirmed) -> SignatureNotConfirmed:
    """The error to give the signer for `error`, after recording a wrong passphrase (the lock when it was the
    last one allowed)."""
    if error.code != PASSPHRASE_WRONG:
        return error
    locked_until = signature_failure_record(actor=actor)
    return error if locked_until is None else _locked_error(until=locked_until)
