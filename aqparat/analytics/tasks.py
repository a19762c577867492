"""Folding buffered views in, every minute, in the huey consumer (no cron)."""

from datetime import timedelta

from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aqparat.analytics.services import views_fold
from aqparat.core.jobs import periodic_job


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "analytics-fold",
    label=pgettext_lazy("background job", "Counting views"),
    late_after=timedelta(minutes=5),
)
def fold_views() -> None:
    views_fold()
