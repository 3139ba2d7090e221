"""Static files are compressed for whitenoise once: a restart of `pencet serve` (which runs collectstatic) compresses
again only what changed, and a changed file never goes out with its old compressed copy."""

import gzip
import os

import pytest
from django.core.management import call_command

CSS = "body { color: #123456; }\n" * 200


@pytest.fixture
def static(settings, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "console.css").write_text(CSS)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "pencet.ops.staticfiles.CompressedStaticFilesStorage"},
    }
    return source


def collect() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)


def test_a_restart_compresses_nothing_that_did_not_change(static, settings):
    collect()
    compressed = settings.STATIC_ROOT / "console.css.gz"
    assert gzip.decompress(compressed.read_bytes()).decode() == CSS
    written = compressed.stat().st_ctime_ns  # any write to the file moves its change time
    collect()
    assert compressed.stat().st_ctime_ns == written


def test_a_changed_file_is_compressed_again(static, settings):
    collect()
    changed = CSS.replace("#123456", "#654321")
    (static / "console.css").write_text(changed)
    later = (settings.STATIC_ROOT / "console.css").stat().st_mtime + 5
    os.utime(static / "console.css", (later, later))  # collectstatic copies a source newer than its copy
    collect()
    assert gzip.decompress((settings.STATIC_ROOT / "console.css.gz").read_bytes()).decode() == changed
