"""Where the applicant lives: district then village lists of the office's regency (paged), or a typed village
name matched fuzzily. Village staff choose among their own villages (none asked when they have one)."""

import difflib

from pencet.regions.models import Region

from .. import replies, selectors
from ..commands import normalize
from ..conversation import Ctx, State
from ..engine import Accept, Next, step
from ..messages import identity as m
from ..replies import choice, typed
from .identity import details_save, field_next


def _district_ask(ctx: Ctx) -> Next:
    districts = selectors.regency_districts(office=ctx.office)
    rows = [(f"dist:{d.code}", d.name, "") for d in districts]
    replies.rows_list(ctx, m.ask_district(), _paged(rows, page=ctx.data.page, prefix="dpage"))
    return None


def _district_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked.startswith("dist:"):
        district = selectors.regency_districts(office=ctx.office).filter(code=picked[5:]).first()
        if district is not None:
            ctx.data.district, ctx.data.page, ctx.data.village_matches = district.code, 0, []
            return State.VILLAGE
    if picked.startswith("dpage:"):
        ctx.data.page = int(picked[6:])
        return State.DISTRICT
    text = typed(ctx)
    if text:
        return _village_search(ctx, text)
    return State.DISTRICT


def _village_ask(ctx: Ctx) -> Next:
    if ctx.staff is not None:
        villages = list(ctx.staff.villages.order_by("code"))
        if len(villages) <= 1:
            if villages:
                details_save(ctx, village=villages[0])
            return field_next(ctx, "village")
        replies.rows_list(ctx, m.ask_staff_village(), [(f"vil:{v.code}", v.name, "") for v in villages])
        return None
    if ctx.data.village_matches:
        found = Region.objects.select_related("parent").in_bulk(ctx.data.village_matches)
        matches = [found[c] for c in ctx.data.village_matches if c in found]
        rows = [(f"vil:{v.code}", v.name, f"Kec. {v.parent.name}" if v.parent else "") for v in matches]
        replies.rows_list(ctx, m.village_matches(), rows)
        return None
    district = Region.objects.filter(code=ctx.data.district, level=Region.Level.DISTRICT).first()
    if not ctx.data.district or district is None:
        return State.DISTRICT
    villages = Region.objects.filter(parent=district, level=Region.Level.VILLAGE)
    rows = [(f"vil:{v.code}", v.name, "") for v in villages]
    replies.rows_list(ctx, m.ask_village(district=district.name), _paged(rows, page=ctx.data.page, prefix="vpage"))
    return None


def _village_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked.startswith("vil:"):
        if ctx.staff is not None:
            village = ctx.staff.villages.filter(code=picked[4:]).first()
        else:
            village = selectors.regency_villages(office=ctx.office).filter(code=picked[4:]).first()
        if village is not None:
            details_save(ctx, village=village)
            return field_next(ctx, "village")
    if picked.startswith("vpage:") and ctx.data.district:
        ctx.data.page = int(picked[6:])
        return State.VILLAGE
    text = typed(ctx)
    if text and ctx.staff is None:
        return _village_search(ctx, text)
    return State.VILLAGE


def _village_search(ctx: Ctx, text: str) -> Next:
    query = normalize(text)
    for prefix in ("desa ", "kelurahan ", "kel ", "ds "):
        query = query.removeprefix(prefix)
    scored = []
    for village in selectors.regency_villages(office=ctx.office):
        name = normalize(village.name)
        ratio = difflib.SequenceMatcher(None, query, name).ratio()
        if query and (query in name or name in query):
            ratio = max(ratio, 0.9)
        scored.append((ratio, village))
    scored.sort(key=lambda pair: -pair[0])
    matches = [v for ratio, v in scored if ratio >= 0.6][: replies.ROWS_PER_PAGE]
    ctx.data.district, ctx.data.page = "", 0
    ctx.data.village_matches = [v.code for v in matches]
    if not matches:
        replies.text(ctx, m.village_not_found(text=text))
        return State.DISTRICT
    return State.VILLAGE


def _paged(rows: list[replies.Row], *, page: int, prefix: str) -> list[replies.Row]:
    return replies.page_rows(rows, page=page, prefix=prefix, next_title=str(m.ROW_NEXT))


TYPED_OR_CHOSEN = {Accept.TEXT, Accept.CHOICE}
DISTRICT = step(State.DISTRICT, ask=_district_ask, answer=_district_answer, accepts=TYPED_OR_CHOSEN)
VILLAGE = step(State.VILLAGE, ask=_village_ask, answer=_village_answer, accepts=TYPED_OR_CHOSEN)
