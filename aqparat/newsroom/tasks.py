"""Background work of the newsroom, run by the huey consumer: no cron needed."""

from datetime import timedelta

from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aqparat.core.jobs import periodic_job
from aqparat.newsroom.services import publication_run


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "newsroom-publication-run",
    label=pgettext_lazy(
        "background job", "Scheduled publication, embargoes and expiry"
    ),
    late_after=timedelta(minutes=5),
)
def publish_scheduled_pages() -> None:
    """Every minute: publish what is due (scheduled or embargoed), expire the rest.

    The job's lock keeps runs from overlapping across consumers; the claim in
    publication_run keeps any two runs (a hand-run command too) from doubling up.
    """
    publication_run()
