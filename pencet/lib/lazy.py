"""A module imported when one of its names is first used, not when the module naming it is imported.

For the large libraries only some requests need (pikepdf for an uploaded PDF): every web worker imports the whole
URLconf at start, and each such library imported there costs every worker its memory whether it is used or not.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """Stands for `import NAME`; the first attribute read imports it (thread-safe: Python's import lock) and each
    name read is kept, so later reads cost what a module attribute costs."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str) -> object:
        value = getattr(self._module(), attr)
        setattr(self, attr, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
