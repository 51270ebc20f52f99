from typing import Any

from django.core.management.base import BaseCommand

from attune.workforce.services import warn_posts_ending


class Command(BaseCommand):
    help = "Warn team leads about posts ending within 8 weeks (run daily). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        count = warn_posts_ending()
        self.stdout.write(f"{count} post{'' if count == 1 else 's'} ending within 8 weeks.")
