"""Writes to an application being filled in go through pencet.cases.drafts and leave an Event each."""

import pytest

from pencet.cases import drafts
from pencet.cases import services as cases
from pencet.cases.models import Attachment, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(office, akta_kelahiran):
    return cases.application_create(office=office, service=akta_kelahiran, applicant_name="")


def kk_of(application):
    return application.service.requirements.get(code="kk")


def add_kk_photo(application, **extra):
    return drafts.attachment_add(
        application=application,
        requirement=kk_of(application),
        file_name="attachments/kk.jpg",
        content_type="image/jpeg",
        size=1234,
        sha256="a" * 64,
        actor=None,
        **extra,
    )


def test_a_citizen_adding_a_file_leaves_an_attachment_added_event_labelled_warga(draft):
    attachment = add_kk_photo(draft)
    event = draft.events.get(kind="attachment_added")
    assert event.actor is None and event.actor_label == "warga"
    assert event.data == {"attachment": attachment.pk, "requirement": "kk", "content_type": "image/jpeg"}


def test_a_replacement_for_a_returned_item_keeps_the_old_file_as_not_current(draft):
    old = add_kk_photo(draft)
    new = add_kk_photo(draft, supersede=True)
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert draft.events.filter(kind="attachment_added").last().data["superseded"] == 1


def test_removing_files_by_requirement_names_what_went(draft):
    add_kk_photo(draft)
    add_kk_photo(draft)
    removed = drafts.attachments_remove(application=draft, requirement_ids=[kk_of(draft).pk], actor=None)
    assert removed == 2 and not Attachment.objects.exists()
    assert draft.events.get(kind="attachment_removed").data["requirements"] == ["kk"]


def test_removing_nothing_writes_no_event(draft):
    assert drafts.attachments_remove(application=draft, attachment_ids=[999], actor=None) == 0
    assert not draft.events.filter(kind="attachment_removed").exists()


def test_changed_details_are_named_in_the_event_without_their_values(draft, bonto_katute):
    drafts.application_details_change(application=draft, actor=None, nik="7307075205900001", village=bonto_katute)
    event = draft.events.get(kind="details_changed")
    assert event.data == {"fields": ["nik", "village"]}
    assert "7307075205900001" not in str(event.data) + event.note
    draft.refresh_from_db()
    assert draft.nik == "7307075205900001" and draft.village == bonto_katute


def test_a_detail_set_to_the_value_it_already_has_writes_no_event(draft):
    drafts.application_details_change(application=draft, actor=None, applicant_name="")
    assert not draft.events.filter(kind="details_changed").exists()


def test_status_and_other_non_applicant_fields_cannot_be_changed_here(draft):
    with pytest.raises(ValueError):
        drafts.application_details_change(application=draft, actor=None, status=Status.ACCEPTED)


def test_a_submitted_application_can_no_longer_be_changed(draft, bonto_katute):
    drafts.application_details_change(application=draft, actor=None, applicant_name="Siti", village=bonto_katute)
    cases.application_submit(application=draft, actor=None)
    with pytest.raises(cases.TransitionError):
        drafts.application_details_change(application=draft, actor=None, applicant_name="Sitti")
    with pytest.raises(cases.TransitionError):
        add_kk_photo(draft)


def test_an_officer_of_another_office_may_not_change_a_draft(draft, hasan):
    with pytest.raises(cases.ApplicationPermissionError):
        drafts.application_details_change(application=draft, actor=hasan, applicant_name="Siti")
