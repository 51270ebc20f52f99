import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from attune.families import search_index
from attune.families.models import Family


class Command(BaseCommand):
    help = (
        "Rebuild the family search index from the family records: every key, the vocabulary of name "
        "words and its trigram index. The actions keep it current; run this after loading records by "
        "other means, or to drop words nobody has any more."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        with transaction.atomic():
            written = search_index.rebuild_all()
        families = Family.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {written:,} keys for {families:,} families in {time.monotonic() - started:.1f} seconds."
            )
        )
