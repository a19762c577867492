"""Background work of the news app, run by the huey consumer."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from aqparat.news.front_page import front_page_expiries_retire


@db_periodic_task(crontab(minute="*"))
@lock_task("news-front-page-expiries")
def front_page_expiries() -> None:
    """Every minute: a front-page choice whose time passed leaves the pages that
    list stories (the database did not change, so nothing else retires them)."""
    front_page_expiries_retire()
