import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "For `make run`: the development web server and the worker side by side, as one command. "
        "Ctrl+C (or SIGTERM) stops both; if either stops, the other is stopped too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--interval", default="5", help="Seconds between the worker's loops (default 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, os.path.abspath(sys.argv[0])]
        # Each child leads its own process group: the signal reaches its children too, and a
        # terminal's Ctrl+C reaches only this supervisor, which stops them in order.
        children = [
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [*manage, "runserver", "--noreload", options["addrport"]], start_new_session=True
            ),
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [*manage, "worker", "--interval", options["interval"]], start_new_session=True
            ),
        ]
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            for child in children:
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Web server and worker stopped.")
        if not stopping:
            # One of them ended by itself: say so with a failing exit status.
            sys.exit(1)
