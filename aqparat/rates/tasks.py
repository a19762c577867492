"""Scheduled fetching of the National Bank's rates (huey; no cron).

The official rate for the next business day is fixed from KASE trading at 15:30 Astana
time; we poll in the evening and again in the morning (Asia/Almaty), and on consumer
start-up when the stored rates are old. huey runs its schedule in UTC (settings: utc),
so the crontabs below are the Almaty times minus five hours.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from aqparat.core.jobs import job_run, periodic_job
from aqparat.rates.services import rates_are_stale, rates_fetch

EVENING_AND_MORNING_UTC = crontab(
    minute="30", hour="2,4,12,14"
)  # 07:30 09:30 17:30 19:30


@db_periodic_task(EVENING_AND_MORNING_UTC)
@periodic_job(
    "rates-fetch",
    label=pgettext_lazy("background job", "National Bank rates"),
    late_after=timedelta(hours=13),  # the longest gap of the schedule is 12 hours
)
def fetch_rates_on_schedule() -> None:
    rates_fetch()


@db_task()
def fetch_rates_now() -> None:
    """The same job out of turn (the rates are old when the consumer starts)."""
    job_run("rates-fetch", rates_fetch)


@HUEY.on_startup()
def fetch_rates_if_old() -> None:
    """When the consumer starts and the newest stored rates are old, fetch at once."""
    if rates_are_stale(today=timezone.localdate()):
        fetch_rates_now()
