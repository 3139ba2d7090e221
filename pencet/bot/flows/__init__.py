"""The conversation's flows. Importing this package registers every step and command with the engine.

One module per flow; a step is declared next to its ask and answer functions with `engine.step(...)`.
"""

from . import cancel, feedback, files, fix, forms, identity, menu, staff, status, subject, summary, village

__all__ = [
    "cancel",
    "feedback",
    "files",
    "fix",
    "forms",
    "identity",
    "menu",
    "staff",
    "status",
    "subject",
    "summary",
    "village",
]
