import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from attune.notifications.delivery import send_queued


class Command(BaseCommand):
    help = (
        "Send the queued text messages and emails through GOV.UK Notify (letters stay for the team to "
        "print). With --loop N, keep sending every N seconds, as a worker process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="Send again every SECONDS")
        parser.add_argument("--limit", type=int, default=100, help="Most messages to send in one go (default 100)")

    def handle(self, *args: Any, **options: Any) -> None:
        every: int = options["loop"]
        while True:
            summary = send_queued(limit=options["limit"])
            self.stdout.write(summary.line())
            if every <= 0:
                return
            # More waiting than one go sends: carry straight on rather than sleep.
            if not summary.still_queued or summary.not_sending:
                time.sleep(every)
