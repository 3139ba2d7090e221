"""The `pencet` command: Django's manage.py plus Pencet's own commands (serve, worker, seed-demo, …)."""

import os
import signal
import sys
import threading
import time


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
    if os.getppid() != parent:
        return  # serve is gone already: never start

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    main(["pencet", "run_huey"])
