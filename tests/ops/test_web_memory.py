"""A web worker's memory: the large libraries only exports, signing and uploaded PDFs need are not imported with
the URLconf (every worker imports that at start, pencet/wsgi.py), and the consumer imports them when it starts."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

# Each one is several MB in every worker: openpyxl 12, pyHanko with aiohttp 23, pikepdf 7.
ON_FIRST_USE = ("openpyxl", "pyhanko", "pyhanko_certvalidator", "aiohttp", "pikepdf")


def _modules_after(script: str, tmp_path) -> tuple[set[str], int]:
    """The top-level packages imported once `script` has run in a fresh production-configured process, and how
    many objects its garbage collector has frozen (left out of every collection: pencet/lib/heap.py)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "PENCET_TESTING")}
    env.update(PENCET_VAR_DIR=str(tmp_path), PENCET_SECRET_KEY="s" * 50, DJANGO_SETTINGS_MODULE="pencet.settings")
    script += "; import gc; print(gc.get_freeze_count(), *sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    frozen, *modules = done.stdout.split()
    return set(modules), int(frozen)


def test_a_web_worker_starts_without_the_export_signing_and_pdf_libraries(tmp_path):
    loaded, frozen = _modules_after("import sys, pencet.wsgi", tmp_path)
    assert "pencet" in loaded and "ninja" in loaded  # the URLconf, the console's and the API's views, was imported
    assert loaded.isdisjoint(ON_FIRST_USE), loaded & set(ON_FIRST_USE)
    assert frozen > 100_000  # what it loaded is out of the collector's way before the first request


def test_the_consumer_imports_them_when_it_starts_so_a_citizens_first_pdf_does_not_wait(tmp_path):
    loaded, frozen = _modules_after(
        "import sys, django; django.setup(); from pencet.ops.tasks import worker_warm; worker_warm()", tmp_path
    )
    assert {"pikepdf", "pyhanko"} <= loaded
    assert frozen > 100_000
