"""Impact: the trips to the office citizens did not have to make, and what that spared them in transport.

A trip is saved by an application completed without a visit: applied for online (WhatsApp on their own or through
their village office, the dashboard's online channels; handed to an employee or at the counter is not counted) and
closed by sending the document (e-mail or WhatsApp), not by a pickup. The cost is the office admin's estimate per
district of one trip to the office (the seed: Bonto Katute, Sinjai Borong, Rp30.000–100.000), a range or a single
value; districts without an estimate count their trips but add no rupiah.
"""

from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User
from pencet.regions.models import Region

from .models_sections import ImpactStat, TravelCost
from .selectors import period_sql

TRAVEL_COST_ROLES = (Role.ADMIN,)
MAX_TRIP_COST = 10_000_000


class TravelCostError(ValueError):
    pass


def travel_cost_allowed(*, user: User) -> bool:
    return user.is_authenticated and bool(user.office_id) and user.has_role(*TRAVEL_COST_ROLES)


def office_districts(*, office: Office) -> list[Region]:
    return list(Region.objects.filter(parent_id=office.regency_id, level=Region.Level.DISTRICT).order_by("code"))


def travel_costs_of(*, office: Office) -> dict[str, TravelCost]:
    return {cost.district_id: cost for cost in TravelCost.objects.filter(office=office)}


@transaction.atomic
def travel_cost_set(
    *, office: Office, actor: User, district: Region, cost_min: int | None, cost_max: int | None
) -> TravelCost | None:
    """Set (or with both empty, remove) the district's cost of one trip; a single value is both ends."""
    if not travel_cost_allowed(user=actor) or actor.office_id != office.pk:
        raise TravelCostError(_("Hanya admin kantor yang dapat mengubah biaya perjalanan."))
    if district.level != Region.Level.DISTRICT or district.parent_id != office.regency_id:
        raise TravelCostError(_("%(name)s bukan kecamatan di wilayah kantor ini.") % {"name": district.name})
    if cost_min is None and cost_max is None:
        TravelCost.objects.filter(office=office, district=district).delete()
        return None
    cost_min = cost_max if cost_min is None else cost_min
    cost_max = cost_min if cost_max is None else cost_max
    if cost_min < 0 or cost_max > MAX_TRIP_COST:
        raise TravelCostError(_("Biaya %(name)s harus antara Rp0 dan Rp10.000.000.") % {"name": district.name})
    if cost_min > cost_max:
        raise TravelCostError(_("Biaya terendah %(name)s lebih besar dari biaya tertinggi.") % {"name": district.name})
    cost, _created = TravelCost.objects.update_or_create(
        office=office, district=district, defaults={"cost_min": cost_min, "cost_max": cost_max}
    )
    return cost


def _trips(*, offices: list[Office], date_from: date, date_to: date) -> dict[tuple[int, str], int]:
    """(office id, district code or "") → applications completed without a visit in the period, summed per district
    by the database from ImpactStat (whole months from month rows, the edge days from day rows)."""
    if not offices:
        return {}
    where, params = period_sql(
        date_from=date_from, date_to=date_to, by_day=False,
        within=f"office_id IN ({', '.join('%s' for _ in offices)})", params=[o.pk for o in offices],
    )  # fmt: skip
    table = ImpactStat._meta.db_table
    sql = f"SELECT office_id, district, SUM(trips) FROM {table} WHERE {where} GROUP BY office_id, district"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(office_id, district or ""): int(trips) for office_id, district, trips in cursor if trips}


def impact_report(*, offices: list[Office], date_from: date, date_to: date) -> dict:
    """Trips saved and the transport cost they spared, per district and in total, for the period."""
    trips = _trips(offices=offices, date_from=date_from, date_to=date_to)
    costs = {(c.office_id, c.district_id): c for c in TravelCost.objects.filter(office__in=offices)}
    names = dict(
        Region.objects.filter(code__in=[d for _o, d in trips if d] + [d for _o, d in costs]).values_list("code", "name")
    )
    rows = []
    total = {"trips": 0, "cost_min": 0, "cost_max": 0, "trips_without_cost": 0}
    for key in sorted(set(trips) | set(costs), key=lambda k: (k[0], k[1] or "~")):
        office_id, district_id = key
        count = trips.get(key, 0)
        cost = costs.get(key)
        row = {
            "district": district_id,
            "label": names.get(district_id) or _("Tanpa kecamatan"),
            "trips": count,
            "unit_min": cost.cost_min if cost else None,
            "unit_max": cost.cost_max if cost else None,
            "cost_min": count * cost.cost_min if cost else None,
            "cost_max": count * cost.cost_max if cost else None,
        }
        rows.append(row)
        total["trips"] += count
        if cost:
            total["cost_min"] += row["cost_min"]
            total["cost_max"] += row["cost_max"]
        else:
            total["trips_without_cost"] += count
    return {"rows": rows, "total": total, "date_from": date_from, "date_to": date_to}
