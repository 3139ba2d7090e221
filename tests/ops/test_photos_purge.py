"""Retention (UU PDP): citizens' document photos go some time after closing; outputs and the timeline stay."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from pencet.cases.models import Application, Event
from pencet.ops.models import OfficeRetention


def _closed_days_ago(application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(closed_at=timezone.now() - timedelta(days=days))


def test_photos_of_applications_closed_longer_than_the_office_keeps_them_are_deleted(history, office, settings):
    settings.PENCET_PHOTO_RETENTION_DAYS = 365
    OfficeRetention.objects.create(office=office, photo_retention_days=30)
    _closed_days_ago(history.picked_up, 31)
    _closed_days_ago(history.rejected, 29)
    photo = history.picked_up.attachments.get()
    output = history.picked_up.outputs.get()
    photo_name = photo.file.name

    call_command("photos-purge")

    photo.refresh_from_db()
    assert photo.file.name == ""
    assert not default_storage.exists(photo_name)
    # What the office must keep stays: the row (name, size, checksum), the signed output, the timeline.
    assert photo.sha256 and photo.size
    assert default_storage.exists(output.file.name)
    note = Event.objects.filter(application=history.picked_up, kind="note").last()
    assert "1 foto/berkas dokumen pemohon dihapus" in note.note and "30 hari" in note.note
    # Nur's rejection is 29 days old and Siti's application is still open: their photos stay.
    assert all(default_storage.exists(a.file.name) for a in history.rejected.attachments.all())
    assert all(default_storage.exists(a.file.name) for a in history.submitted.attachments.all())


def test_an_office_without_its_own_setting_uses_the_default_retention(history, settings):
    settings.PENCET_PHOTO_RETENTION_DAYS = 10
    _closed_days_ago(history.rejected, 11)
    call_command("photos-purge")
    assert history.rejected.attachments.get().file.name == ""


def test_a_dry_run_only_counts(history, office, capsys):
    OfficeRetention.objects.create(office=office, photo_retention_days=1)
    _closed_days_ago(history.rejected, 5)
    call_command("photos-purge", "--dry-run")
    assert "1 berkas dari 1 permohonan akan dihapus" in capsys.readouterr().out
    assert history.rejected.attachments.get().file.name != ""


@pytest.fixture(autouse=True)
def _media(media_dir):
    return media_dir
