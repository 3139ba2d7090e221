"""The completeness review's checklist: what each requirement's verdict starts at, and what a verdict and a reason
posted together mean."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from pencet.cases.models import Attachment, ReviewItem
from pencet.catalog.models import Requirement

from .forms import CANNED_REASONS

# Not a ReviewItem verdict: the requirement does not apply (an optional one, or an alternative another document
# already satisfies). Nothing is recorded for it and nothing is asked of the citizen.
NOT_NEEDED = "not_needed"
NOT_NEEDED_LABEL = _("Tidak diperlukan")
# The verdict each canned reason belongs to: a reason always says what is wrong, so it decides the verdict.
REASON_VERDICT = {str(reason): verdict for verdict, reasons in CANNED_REASONS.items() for reason in reasons}


@dataclass
class ChecklistItem:
    requirement: Requirement
    attachments: list[Attachment]
    open_item: ReviewItem | None
    default_verdict: str = ""
    verdicts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def may_be_skipped(self) -> bool:
        return self.requirement.optional or bool(self.requirement.alternative_group)


def review_checklist(
    *, requirements: list[Requirement], attachments: list[Attachment], open_items: dict[int, ReviewItem]
) -> list[ChecklistItem]:
    """One row per requirement, its verdict preselected as the reviewer will most likely decide, so a complete
    application needs no clicks: sent → "Sesuai"; optional or an alternative already covered by another document →
    "Tidak diperlukan"; otherwise "Belum ada"."""
    items = [
        ChecklistItem(
            requirement=r,
            attachments=[a for a in attachments if a.requirement_id == r.pk],
            open_item=open_items.get(r.pk),
        )
        for r in requirements
    ]
    covered_groups = {i.requirement.alternative_group for i in items if i.attachments} - {""}
    for item in items:
        requirement = item.requirement
        if item.attachments:
            item.default_verdict = ReviewItem.Verdict.OK
        elif requirement.optional or requirement.alternative_group in covered_groups:
            item.default_verdict = NOT_NEEDED
        else:
            item.default_verdict = ReviewItem.Verdict.MISSING
        choices = list(ReviewItem.Verdict.choices)
        if item.may_be_skipped:
            choices.insert(1, (NOT_NEEDED, NOT_NEEDED_LABEL))
        item.verdicts = choices
    return items


def review_checklist_complete(*, items: list[ChecklistItem]) -> bool:
    return all(i.default_verdict in (ReviewItem.Verdict.OK, NOT_NEEDED) for i in items)


def review_verdict_read(*, verdict: str, reason: str, note: str) -> tuple[str, str] | None:
    """(verdict, reason) for one posted row, or None when nothing is to be recorded.

    A reason belongs to a "not OK" verdict: a canned reason decides the verdict (picking "Foto buram" means the
    photo is unreadable, whatever the first select still says), and an OK row keeps no reason at all."""
    reason, note = reason.strip(), note.strip()
    if reason in REASON_VERDICT:
        verdict = REASON_VERDICT[reason]
    elif reason:
        reason = ""  # not one of ours: a tampered form; the free note still carries the officer's words
    if verdict not in ReviewItem.Verdict.values:  # "not needed", or nothing chosen
        return None
    if verdict == ReviewItem.Verdict.OK:
        return verdict, ""
    return verdict, " — ".join(part for part in (reason, note) if part)[:255]


def pickup_originals(*, requirements: list[Requirement], attachments: list[Attachment]) -> list[Requirement]:
    """The originals to check at pickup: what the application was actually made with. An alternative nobody used
    (the SPTJM when the midwife's letter was sent) and an optional file never sent are not asked for; a group of
    alternatives without any file is listed whole, since any one of them may be shown."""
    sent = {a.requirement_id for a in attachments if a.requirement_id and a.is_current}
    used_groups = {r.alternative_group for r in requirements if r.pk in sent} - {""}
    return [
        r
        for r in requirements
        if r.pk in sent or (not r.optional and (not r.alternative_group or r.alternative_group not in used_groups))
    ]
