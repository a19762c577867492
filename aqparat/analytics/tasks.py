"""Folding buffered views in, every minute, in the huey consumer (no cron)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from aqparat.analytics.services import views_fold


@db_periodic_task(crontab(minute="*"))
@lock_task("analytics-fold")
def fold_views() -> None:
    views_fold()
