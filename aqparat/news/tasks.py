"""Background work of the news app, run by the huey consumer."""

from datetime import timedelta

from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aqparat.core.jobs import periodic_job
from aqparat.news.front_page import front_page_expiries_retire


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "news-front-page-expiries",
    label=pgettext_lazy("background job", "Front page choices that end"),
    late_after=timedelta(minutes=5),
)
def front_page_expiries() -> None:
    """Every minute: a front-page choice whose time passed leaves the pages that
    list stories (the database did not change, so nothing else retires them)."""
    front_page_expiries_retire()
