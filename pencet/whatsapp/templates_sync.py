"""Message templates' approval as Meta reports it (issue #16, point 5).

Whether a template may be sent is Meta's decision, not a flag someone ticks: `message_templates_sync` reads
`GET /{whatsapp-business-account-id}/message_templates` (fields name, language, status, category, components;
paginated with `paging.cursors.after` until there is no `paging.next`) and records each template's status on the
project's MessageTemplate rows of that name and language. Announcements go out only while a row says APPROVED
(pencet.outreach.announcements). It runs hourly (pencet.whatsapp.tasks) and from the admin and the console.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.catalog.models import MessageTemplate, MetaStatus

from .client import GraphError, graph_get

FIELDS = "name,language,status,category,components"
# Meta's page size for this edge goes up to a few hundred; a WABA holds at most a few hundred templates.
PAGE_SIZE = 100
# A runaway `next` link (or a stand-in that repeats itself) must not loop forever.
MAX_PAGES = 50


class TemplateSyncError(Exception):
    """Why the sync could not ask Meta; the message is safe to show to staff."""


@dataclass(frozen=True)
class SyncResult:
    read: int  # templates Meta listed
    updated: int  # our rows whose status was recorded
    unknown: int  # our rows Meta does not list (not submitted, or deleted there)


def graph_templates_list() -> list[dict]:
    """Every template of the WhatsApp Business Account, following Meta's cursor pagination."""
    account = settings.WHATSAPP_BUSINESS_ACCOUNT_ID
    if not account:
        raise TemplateSyncError(_("WHATSAPP_BUSINESS_ACCOUNT_ID belum diisi; status template tidak dapat ditanyakan."))
    params: dict[str, object] = {"fields": FIELDS, "limit": PAGE_SIZE}
    found: list[dict] = []
    for _page in range(MAX_PAGES):
        try:
            body = graph_get(path=f"{account}/message_templates", params=params)
        except GraphError as error:
            raise TemplateSyncError(
                _("Meta menolak pertanyaan daftar template: %(message)s") % {"message": error.message}
            ) from error
        found.extend(body.get("data") or [])
        paging = body.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if not paging.get("next") or not after:
            break
        params = {"fields": FIELDS, "limit": PAGE_SIZE, "after": after}
    return found


def message_templates_sync() -> SyncResult:
    """Record Meta's status, category and components on every MessageTemplate row of the same name and language;
    a row Meta does not list loses its status (it cannot be sent)."""
    listed = graph_templates_list()
    by_key = {(t.get("name"), t.get("language")): t for t in listed}
    now = timezone.now()
    updated = unknown = 0
    known = set(MetaStatus.values)
    with transaction.atomic():
        for row in MessageTemplate.objects.select_for_update().order_by("pk"):
            template = by_key.get((row.name, row.language))
            if template is None:
                row.meta_status, row.meta_category, row.meta_components = "", "", []
                unknown += 1
            else:
                status = str(template.get("status", "")).upper()
                # A status Meta adds later is not APPROVED either; keep it out rather than guess.
                row.meta_status = status if status in known else MetaStatus.PENDING
                row.meta_category = str(template.get("category", ""))[:20]
                row.meta_components = template.get("components") or []
                updated += 1
            row.meta_synced_at = now
            row.save(update_fields=["meta_status", "meta_category", "meta_components", "meta_synced_at"])
    return SyncResult(read=len(listed), updated=updated, unknown=unknown)
