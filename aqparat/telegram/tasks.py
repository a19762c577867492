"""Telegram delivery in the huey consumer: one task per post, a sweeper every minute.

A lost queue message (a restart, a Redis flush) loses no post: the outbox row is the
truth and the sweeper finds every due row.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aqparat.core.jobs import periodic_job
from aqparat.telegram.services import outbox_sweep, post_deliver, post_edit


@db_task()
def deliver_post(post_id: int) -> None:
    post_deliver(post_id=post_id)


@db_task()
def edit_post(post_id: int) -> None:
    post_edit(post_id=post_id)


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "telegram-sweep",
    label=pgettext_lazy("background job", "Telegram posts"),
    late_after=timedelta(minutes=5),
)
def sweep_telegram_outbox() -> None:
    work = outbox_sweep(now=timezone.now())
    for post_id in work["due"]:
        deliver_post(post_id)
    for post_id in work["edits"]:
        edit_post(post_id)
