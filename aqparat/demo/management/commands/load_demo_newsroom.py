from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aqparat.demo.services import (
    ADMIN_USERNAME,
    DEMO_CHIEF,
    DEMO_EDITOR,
    DEMO_JOURNALIST,
    demo_newsroom_load,
)


class Command(BaseCommand):
    help = "Create what is missing of the demo newsroom. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.AQPARAT_DEMO_ALLOWED:
            # Its staff accounts share one password, printed here: on a real site
            # that is a newsroom account anyone who sees the log can take over.
            raise CommandError(
                "The demo newsroom is for make run and the tests: these settings "
                "(production) do not allow it (AQPARAT_DEMO_ALLOWED)."
            )
        result = demo_newsroom_load()
        self.stdout.write(
            f"Demo newsroom ready: {result.articles_created} articles created."
        )
        if result.admin_password:
            self.stdout.write(
                self.style.WARNING(
                    f"Administrator created. Sign in at /admin/ as '{ADMIN_USERNAME}' "
                    f"with password: {result.admin_password}\n"
                    f"To try the newsroom's roles, '{DEMO_JOURNALIST}', "
                    f"'{DEMO_EDITOR}' (News desk) and '{DEMO_CHIEF}' (chief editor) "
                    "have the same password.\n"
                    "This password is shown only once; change it after signing in."
                )
            )
