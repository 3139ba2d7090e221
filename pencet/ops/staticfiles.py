"""Static files as whitenoise serves them, compressed again only when they changed.

collectstatic hands post_process every file, changed or not, and `pencet serve` runs collectstatic at each start:
whitenoise would compress all of them again every time (14 MB, about a second of CPU on the reference machine).
Its compressor gives each compressed copy the modification time of its source, and collectstatic copies a changed
file anew, so a copy with its source's time is current.
"""

from __future__ import annotations

import os
from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage as WhitenoiseStorage


class CompressedStaticFilesStorage(WhitenoiseStorage):
    def post_process(self, paths: dict[str, Any], dry_run: bool = False, **options: Any) -> Any:
        changed = {path: found for path, found in paths.items() if not self._compressed_current(path)}
        yield from super().post_process(changed, dry_run=dry_run, **options)

    def _compressed_current(self, path: str) -> bool:
        source = self.path(path)
        try:
            modified = os.stat(source).st_mtime
            # Brotli (when installed) is written first and gzip after it: the .gz is the last one a run writes.
            return os.stat(source + ".gz").st_mtime == modified
        except FileNotFoundError:
            return False
