"""PAdES signatures on PDFs: sign with pyHanko, validate against an office's trust roots.

Framework-free. Production offices validate the SIAK output signed by the head of office with a
BSrE certificate; the demo office (and the tests) use a small CA made here with `cryptography`.
"""

import asyncio
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# pyHanko (with aiohttp, which it imports) is imported by the two functions that use it, not with this module: it
# is 23 MB in every web process, and only an officer's signing or an uploaded signed output needs it.
T = TypeVar("T")

logger = logging.getLogger(__name__)

VALID = "valid"
INVALID = "invalid"
UNSIGNED = "unsigned"

# Why a signature is invalid; callers turn these codes into words for the officer.
PROBLEM_TAMPERED = "tampered"
PROBLEM_UNTRUSTED = "untrusted"
PROBLEM_BROKEN = "broken"
PROBLEM_NOT_PDF = "not_pdf"


@dataclass(frozen=True)
class CertificateAuthority:
    cert_pem: str
    key_pem: str


@dataclass(frozen=True)
class SigningIdentity:
    """A signer's key and certificate plus the chain up to (and including) its root."""

    cert_pem: str
    key_pem: str
    chain_pem: str = ""


@dataclass(frozen=True)
class SignatureCheck:
    status: str  # valid / invalid / unsigned
    problem: str = ""  # one of PROBLEM_* when invalid
    signer: str = ""
    signed_at: datetime | None = None
    reason: str = ""
    signatures: int = 0
    technical: str = field(default="", compare=False)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "problem": self.problem,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else "",
            "reason": self.reason,
            "signatures": self.signatures,
            "technical": self.technical,
        }


def _name(common_name: str, organization: str) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        parts.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(parts)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def ca_create(*, common_name: str, organization: str = "", years: int = 10) -> CertificateAuthority:
    """A self-signed root CA (demo office, tests). Never used for real documents."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, organization)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem=_key_pem(key))


def signer_issue(
    *, ca: CertificateAuthority, common_name: str, organization: str = "", years: int = 5
) -> SigningIdentity:
    """A document-signing certificate issued by `ca`."""
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem.encode())
    ca_key = serialization.load_pem_private_key(ca.key_pem.encode(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return SigningIdentity(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        key_pem=_key_pem(key),
        chain_pem=ca.cert_pem,
    )


def pdf_sign(*, pdf_bytes: bytes, signer: SigningIdentity, reason: str = "", location: str = "") -> bytes:
    """Sign `pdf_bytes` (PAdES baseline B, SHA-256) and return the signed file."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_cert = load_certs_from_pemder_data(signer.cert_pem.encode())
    chain = list(load_certs_from_pemder_data(signer.chain_pem.encode())) if signer.chain_pem else []
    simple = signers.SimpleSigner(
        signing_cert=next(iter(signing_cert)),
        signing_key=load_private_key_from_pemder_data(signer.key_pem.encode(), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = _outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=simple))
    return out.getvalue()


def _outside_event_loop(fn: Callable[[], T]) -> T:
    """pyHanko's sync API calls asyncio.run(), which fails in a thread that already runs an event loop
    (ASGI, a browser-driving test); there it runs in a short-lived worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def trust_roots_parse(trust_roots_pem: str) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM bundle; a malformed block is skipped (and logged), not fatal."""
    roots: list[asn1_x509.Certificate] = []
    data = (trust_roots_pem or "").encode()
    if not asn1_pem.detect(data):
        return roots
    for _type, _headers, der in asn1_pem.unarmor(data, multiple=True):
        try:
            roots.append(asn1_x509.Certificate.load(der))
        except ValueError:
            logger.warning("skipping a malformed certificate in the trust roots")
    return roots


def _common_name(cert: asn1_x509.Certificate | None) -> str:
    if cert is None:
        return ""
    try:
        return cert.subject.native.get("common_name", "") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001 - a certificate we cannot describe still has a status
        return ""


def pdf_signature_check(*, pdf_bytes: bytes, trust_roots_pem: str) -> SignatureCheck:
    """Validate every signature in the PDF against `trust_roots_pem` (no network fetching).

    Valid only when every signature is intact, cryptographically sound, chains to one of the roots
    and no disallowed change was made after signing.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if b"%PDF-" not in pdf_bytes[:1024]:
        return SignatureCheck(status=INVALID, problem=PROBLEM_NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any parse failure means a broken file
        return SignatureCheck(status=INVALID, problem=PROBLEM_BROKEN, technical=repr(exc)[:500])
    if not embedded:
        return SignatureCheck(status=UNSIGNED)

    roots = trust_roots_parse(trust_roots_pem)
    first: SignatureCheck | None = None
    for sig in embedded:
        signer = _common_name(getattr(sig, "signer_cert", None))
        try:
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            status = _outside_event_loop(lambda sig=sig, context=context: validate_pdf_signature(sig, context))
        except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for malformed signatures
            return SignatureCheck(
                status=INVALID,
                problem=PROBLEM_BROKEN,
                signer=signer,
                signatures=len(embedded),
                technical=repr(exc)[:500],
            )
        reason = str(sig.sig_object.get("/Reason", "") or "")
        signed_at = status.signer_reported_dt
        if not (status.intact and status.valid) or not (status.docmdp_ok or status.modification_level is None):
            problem = PROBLEM_TAMPERED
        elif not status.trusted:
            problem = PROBLEM_UNTRUSTED
        elif not status.bottom_line:
            problem = PROBLEM_BROKEN
        else:
            problem = ""
        check = SignatureCheck(
            status=INVALID if problem else VALID,
            problem=problem,
            signer=signer,
            signed_at=signed_at,
            reason=reason,
            signatures=len(embedded),
            technical="" if not problem else status.summary(),
        )
        if problem:
            return check
        first = first or check
    assert first is not None
    return first
