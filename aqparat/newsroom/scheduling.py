"""Scheduling says what it does. Wagtail's publish button reads "Schedule to
publish" and confirms with "Page … has been scheduled for publishing", never saying
when; the go-live time sits in a side panel. Here the button reads "Schedule for
<time>" and the confirmation names the time, both in Almaty time."""

from __future__ import annotations

from datetime import datetime
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail.admin.action_menu import PublishMenuItem


def scheduled_time(page: Any) -> datetime | None:
    """The page's go-live time when it is in the future (a scheduled version)."""
    go_live = getattr(page, "go_live_at", None)
    return go_live if go_live and go_live > timezone.now() else None


def stored_schedule(page: Any) -> datetime | None:
    """When the page's scheduled revision goes live: what was stored, not the time
    in the form (an approval that passes a story to a next review step, or a save
    without publishing, schedules nothing whatever the form said)."""
    # Not Wagtail's `scheduled_revision`: a cached_property, read before the action.
    return (
        page.revisions.filter(approved_go_live_at__gt=timezone.now())
        .values_list("approved_go_live_at", flat=True)
        .first()
    )


def almaty_text(moment: datetime) -> str:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).strftime(
        "%d.%m.%Y %H:%M"
    )


class SchedulePublishMenuItem(PublishMenuItem):
    """Wagtail's publish action, labelled with the time it will publish at."""

    template_name = "newsroom/admin/action_menu_publish.html"

    def get_context_data(self, parent_context: Any) -> Any:
        context = super().get_context_data(parent_context)
        moment = scheduled_time(context.get("page"))
        if moment is not None:
            context["schedule_label"] = _("Schedule for %(time)s") % {
                "time": almaty_text(moment)
            }
        return context


def _say_scheduled(request: HttpRequest, page: Any, moment: datetime) -> None:
    said = {"title": page.get_admin_display_title(), "time": almaty_text(moment)}
    messages.success(request, _(
        "“%(title)s” is scheduled: it goes live on %(time)s (Almaty time)."
    ) % said)  # fmt: skip


def scheduled_confirmation(request: HttpRequest, page: Any) -> HttpResponse | None:
    """After a publish action that scheduled the page: say when it goes live, and
    go where Wagtail would (the `next` address, else the section's listing)."""
    if "action-publish" not in request.POST:
        return None
    moment = stored_schedule(page)
    if moment is None:
        return None
    _say_scheduled(request, page, moment)
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return redirect(next_url)
    return redirect("wagtailadmin_explore", page.get_parent().id)


def approved_schedule_confirmation(request: HttpRequest, page: Any) -> None:
    """After "Approve and publish" on a story with a go-live time, Wagtail says
    only "Page … has been updated": say it is scheduled, and when. (Wagtail has
    already queued its message: the request's messages are read and queued again
    without it.)"""
    if request.POST.get("workflow-action-name") != "approve" or page.live:
        return
    moment = stored_schedule(page)
    if moment is None:
        return
    updated = _("Page '%(page_title)s' has been updated.") % {
        "page_title": page.get_admin_display_title()
    }
    storage = messages.get_messages(request)
    kept = [
        message
        for message in storage  # Wagtail's message is HTML (with its buttons)
        if unescape(strip_tags(str(message.message))).strip() != updated
    ]
    for message in kept:
        messages.add_message(request, message.level, message.message,
                             extra_tags=message.extra_tags)  # fmt: skip
    _say_scheduled(request, page, moment)
