"""Files of a registration form that had an error, kept so the officer never uploads them again.

Every uploaded file passes the file pipeline (pencet.lib.files) on the POST that brought it and is written to
storage under `pending/`; the form then carries one signed token per kept file (who uploaded it, for which service
and requirement, where it lies, what it is). The next POST turns the tokens back into files without a new upload.
A token is bound to its user and service and expires after KEEP_HOURS, so nobody can point it at another's file;
the files of a registration that never comes are left for the storage's lifecycle rule on `pending/`.

Contracts:
    kept_file_keep(*, checked, name, requirement_id, service_id, user) -> KeptFile
    kept_files_load(*, tokens, user, service_id) -> list[KeptFile]
    kept_file_read(*, kept) -> CheckedFile
    kept_files_discard(*, kept) -> None
"""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pencet.accounts.models import User
from pencet.lib.files import CheckedFile

SALT = "pencet.console.kept-file"
KEEP_HOURS = 24


@dataclass(frozen=True)
class KeptFile:
    token: str
    requirement_id: int | None
    name: str
    path: str
    content_type: str
    sha256: str
    size: int
    quality: dict = field(default_factory=dict)


def kept_file_keep(
    *, checked: CheckedFile, name: str, requirement_id: int | None, service_id: int, user: User
) -> KeptFile:
    """Store a checked file as pending and give back its token."""
    path = default_storage.save(f"pending/{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.data))
    payload = {
        "u": user.pk,
        "s": service_id,
        "r": requirement_id,
        "n": name[:255],
        "p": path,
        "t": checked.content_type,
        "h": checked.sha256,
        "z": checked.size,
        "q": checked.quality,
    }
    return _kept(signing.dumps(payload, salt=SALT, compress=True), payload)


def _kept(token: str, payload: dict) -> KeptFile:
    return KeptFile(
        token=token,
        requirement_id=payload["r"],
        name=payload["n"],
        path=payload["p"],
        content_type=payload["t"],
        sha256=payload["h"],
        size=payload["z"],
        quality=payload.get("q") or {},
    )


def kept_files_load(*, tokens: list[str], user: User, service_id: int) -> list[KeptFile]:
    """The kept files behind the tokens of this user and service; a forged, foreign or expired one is dropped."""
    found: dict[str, KeptFile] = {}
    for token in tokens:
        try:
            payload = signing.loads(token, salt=SALT, max_age=KEEP_HOURS * 3600)
        except signing.BadSignature:
            continue
        if payload.get("u") != user.pk or payload.get("s") != service_id:
            continue
        if not str(payload.get("p", "")).startswith("pending/") or not default_storage.exists(payload["p"]):
            continue
        found.setdefault(payload["p"], _kept(token, payload))
    return list(found.values())


def kept_file_read(*, kept: KeptFile) -> CheckedFile:
    """The kept file's bytes, as the pipeline passed them (the digest proves they are the same)."""
    with default_storage.open(kept.path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != kept.sha256:
        raise ValueError(f"kept file {kept.path} changed in storage")
    return CheckedFile(data=data, content_type=kept.content_type, sha256=kept.sha256, quality=kept.quality)


def kept_files_discard(*, kept: list[KeptFile]) -> None:
    for item in kept:
        default_storage.delete(item.path)
