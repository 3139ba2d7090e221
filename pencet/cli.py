"""The `pencet` command: Django's manage.py plus Pencet's own commands (serve, worker, seed-demo, …)."""

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "worker":
        argv[1] = "run_huey"
    execute_from_command_line(argv)
    return 0


def consumer_main(*, parent: int | None = None) -> None:
    """`pencet run_huey`, stopping by itself when the serving process goes away, even if it was killed outright.

    `serve` passes its own PID: a consumer that only asked for its parent's would, if serve died while the consumer
    was still starting, read the PID of whoever adopted it and then run on forever.
    """
    parent = parent or os.getppid()
    _terminate_with_parent()
    if os.getppid() != parent:
        return  # serve is gone already: never start

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    main(["pencet", "run_huey"])


def _terminate_with_parent() -> None:
    """On Linux, ask the kernel for a SIGTERM the moment serve dies (prctl PR_SET_PDEATHSIG), instead of noticing
    within a second; the watch thread above stays for other systems and for a serve that died before this call."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
