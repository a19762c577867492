from typing import Any

from django.core.management.base import BaseCommand

from aqparat.analytics.services import views_fold


class Command(BaseCommand):
    help = "Fold buffered views into the stored counts now (huey does it every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = views_fold()
        self.stdout.write(
            f"Folded {result.views} views in {result.batches} batches"
            f" ({result.skipped} already recorded);"
            f" {result.logged} lines read from the front cache's beacon log."
        )
