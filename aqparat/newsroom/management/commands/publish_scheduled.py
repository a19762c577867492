"""`manage.py publish_scheduled`, the newsroom's version of Wagtail's command of the
same name (this app comes first in INSTALLED_APPS): the same pass as the huey task,
with claims, so a cron job left over from an old install cannot publish twice."""

from typing import Any

from django.core.management.base import BaseCommand

from aqparat.newsroom.services import publication_run


class Command(BaseCommand):
    help = "Publish scheduled and embargoed content that is due; expire the rest."

    def handle(self, *args: Any, **options: Any) -> None:
        run = publication_run()
        self.stdout.write(
            f"Published {len(run.published)} revision(s); "
            f"expired {len(run.expired)} object(s)."
        )
