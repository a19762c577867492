"""Background work of the news app, run by the huey consumer (no cron needed)."""

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(minute="*"))
@lock_task("news-publish-scheduled")
def publish_scheduled_pages() -> None:
    """Every minute: publish pages whose go-live time has come, expire the others.

    The lock keeps two consumers from running overlapping publication passes.
    """
    call_command("publish_scheduled")
