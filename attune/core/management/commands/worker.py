import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from attune.core import worker

logger = logging.getLogger("attune.core.worker")


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (outbox, lone working, reminders, posts, leavers...) each on its own "
        "schedule, and the queued background tasks. One long-running process; Ctrl+C or SIGTERM "
        "stops it after the job in hand. --once runs what is due and stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then stop")
        parser.add_argument(
            "--interval", type=float, default=5.0, metavar="SECONDS", help="Seconds between loops (default 5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = worker.worker_id()
        if options["once"]:
            loop = worker.run_once(name)
            self.stdout.write(f"Worker: {len(loop.claimed)} job(s) due, {loop.ran} task(s) run.")
            return
        self.running = True
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        self.stdout.write(f"Worker {name} started (Ctrl+C stops it).")
        self.stdout.flush()
        try:
            while self.running:
                close_old_connections()
                try:
                    worker.run_once(name)
                except Exception:
                    # A database blip must not end the worker: log, wait, carry on.
                    logger.exception("Worker loop failed; trying again")
                close_old_connections()
                slept = 0.0
                while self.running and slept < options["interval"]:
                    time.sleep(0.2)
                    slept += 0.2
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Worker stopped.")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
