"""The `pencet` command: Django's manage.py plus Pencet's own commands (serve, worker, seed-demo, …)."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pencet.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "worker":
        argv[1] = "run_huey"
    execute_from_command_line(argv)
    return 0
