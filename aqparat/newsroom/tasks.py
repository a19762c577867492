"""Background work of the newsroom, run by the huey consumer: no cron needed."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from aqparat.newsroom.services import publication_run


@db_periodic_task(crontab(minute="*"))
@lock_task("newsroom-publication-run")
def publish_scheduled_pages() -> None:
    """Every minute: publish what is due (scheduled or embargoed), expire the rest.

    The lock keeps one consumer's runs from overlapping; the claim in
    publication_run keeps any two runs (a hand-run command too) from doubling up.
    """
    publication_run()
