"""Newsroom operations: desks (section rights and review), and the publication pass
that makes scheduled and embargoed stories live and takes expired ones down."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import (
    DraftStateMixin,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from aqparat.news.exceptions import PublicationBlocked
from aqparat.newsroom import roles

logger = logging.getLogger(__name__)


def desk_assign(*, name: str, sections: Sequence[Page]) -> Group:
    """A desk: the group of editors who review, publish, schedule and correct in
    `sections` (one section page per edition, say), and the review workflow there.

    A journalist's submission in those sections goes to the desk's editors; chief
    editors may approve too. Editors are added to the desk's group in the admin
    (Settings → Users), alongside the Editors role.
    """
    group, _ = Group.objects.get_or_create(name=f"Desk: {name}")
    chiefs = Group.objects.get(name=roles.CHIEF_EDITORS)
    task, _ = GroupApprovalTask.objects.get_or_create(name=f"{name} desk approval")
    task.groups.set([group, chiefs])
    workflow, created = Workflow.objects.get_or_create(name=f"{name} desk review")
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    rights = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=[f"{kind}_page" for kind in roles.DESK_PAGE_PERMISSIONS],
    )
    for section in sections:
        for permission in rights:
            GroupPagePermission.objects.get_or_create(
                group=group, page=section, permission=permission
            )
        WorkflowPage.objects.update_or_create(
            page=section, defaults={"workflow": workflow}
        )
    return group


@dataclass
class PublicationRun:
    published: list[int] = field(default_factory=list)  # revision ids, in order
    expired: list[str] = field(default_factory=list)  # "app.model:pk"
    # Revisions that fell due while the worker was down and whose expiry has
    # passed too: publishing them now would show (and post) an expired story.
    lapsed: list[int] = field(default_factory=list)


def publication_run(
    *, claim: Callable[[Revision], bool] | None = None
) -> PublicationRun:
    """Publish every approved revision whose go-live time has passed, earliest first,
    and unpublish every live object whose expiry has passed.

    Run every minute by huey (`newsroom.tasks`), and by `manage.py publish_scheduled`.
    A revision that fell due while the worker was down is published on the next run,
    in go-live order. Each revision is claimed by a conditional UPDATE in the same
    transaction as its publication: two overlapping runs (two consumers, or the task
    and a hand-run command) publish it once, and a failed publication leaves it due.
    """
    run = PublicationRun()
    now = timezone.now()
    for model in _expiring_models():
        for obj in model.objects.filter(live=True, expire_at__lte=now).order_by(
            "expire_at", "pk"
        ):
            if _expire(obj):
                run.expired.append(f"{model._meta.label_lower}:{obj.pk}")
    due = Revision.objects.filter(approved_go_live_at__lte=now).order_by(
        "approved_go_live_at", "pk"
    )
    for revision in list(due):
        if _lapsed(revision, now=now):
            if (claim or revision_claim)(revision):
                logger.warning("Revision %s expired before it could go live; "
                               "not published", revision.pk)  # fmt: skip
                run.lapsed.append(revision.pk)
            continue
        if _publish(revision, claim=claim or revision_claim):
            run.published.append(revision.pk)
    return run


def _lapsed(revision: Revision, *, now: datetime) -> bool:
    expire_at = parse_datetime(str(revision.content.get("expire_at") or ""))
    return expire_at is not None and expire_at <= now


def revision_claim(revision: Revision) -> bool:
    """Take a due revision for this run: only one run's UPDATE matches."""
    return bool(
        Revision.objects.filter(
            pk=revision.pk, approved_go_live_at=revision.approved_go_live_at
        ).update(approved_go_live_at=None)
    )


def _publish(revision: Revision, *, claim: Callable[[Revision], bool]) -> bool:
    try:
        with transaction.atomic():
            if not claim(revision):
                return False
            # publish() sees the go-live time has passed and makes the object live.
            revision.publish(log_action="wagtail.publish.scheduled")
    except PublicationBlocked as blocked:
        # Not a fault: the story is not ready (a photo lacks its credit). It stays
        # due and on the dashboard as overdue until an editor fixes it.
        logger.warning("Revision %s not published: %s", revision.pk, blocked)
        return False
    except Exception:
        # The claim rolled back with the failure: the revision stays due and the
        # next run tries again. The overdue panel shows it meanwhile.
        logger.exception("Scheduled publication of revision %s failed", revision.pk)
        return False
    logger.info("Published revision %s on schedule", revision.pk)
    return True


def _expire(obj: DraftStateMixin) -> bool:
    model = type(obj)
    try:
        with transaction.atomic():
            if not model.objects.filter(pk=obj.pk, live=True, expired=False).update(
                expired=True
            ):
                return False
            if isinstance(obj, Page):
                obj = obj.specific
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    except Exception:
        logger.exception("Expiry of %s %s failed", model._meta.label, obj.pk)
        return False
    return True


def _expiring_models() -> list[type[DraftStateMixin]]:
    # Pages are one table for every page type; other models with draft state
    # (snippets) each have their own.
    models: list[type[DraftStateMixin]] = [Page]
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    return models


def overdue_since(*, now: datetime | None = None) -> datetime:
    """What counts as overdue: due more than two runs ago."""
    return (now or timezone.now()) - timedelta(minutes=2)
