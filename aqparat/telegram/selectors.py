"""Reads of the Telegram outbox for editors, and the channel readers are invited to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language

from aqparat.core.pagecache import fragment_keys
from aqparat.core.selectors import site_settings_for_request
from aqparat.telegram.models import EditState, PostState, TelegramChannel, TelegramPost

NEEDS_AN_EDITOR = (PostState.FAILED, PostState.UNCERTAIN)


def post_list(*, state: str = "") -> QuerySet[TelegramPost]:
    posts = TelegramPost.objects.select_related("page", "channel").order_by(
        "-created_at", "-pk"
    )
    if state == "attention":
        return posts.filter(
            Q(state__in=NEEDS_AN_EDITOR) | Q(edit_state=EditState.FAILED)
        )
    if state in PostState.values:
        return posts.filter(state=state)
    return posts


@dataclass(frozen=True)
class OutboxProblems:
    failed: int
    uncertain: int
    edits_failed: int

    @property
    def total(self) -> int:
        return self.failed + self.uncertain + self.edits_failed


def outbox_problems() -> OutboxProblems:
    """What an editor must look at: one query."""
    counts = TelegramPost.objects.aggregate(
        failed=Count("pk", filter=Q(state=PostState.FAILED)),
        uncertain=Count("pk", filter=Q(state=PostState.UNCERTAIN)),
        edits_failed=Count("pk", filter=Q(edit_state=EditState.FAILED)),
    )
    return OutboxProblems(**counts)


@dataclass(frozen=True)
class FollowLink:
    url: str
    name: str


def follow_fragment_name(site_settings_pk: int | None, language_code: str) -> str:
    """The fragment of an edition's channel link (telegram_tags.telegram_follow)."""
    return f"telegram:follow:{site_settings_pk}:{language_code}"


def follow_page_keys(request: HttpRequest, page: Any) -> list[str]:
    """Every page invites its readers to the edition's channel: the fragment's
    key, which routing asks for with the page's other reads."""
    site_settings = site_settings_for_request(request=request)
    language = get_language() or "kk"
    name = follow_fragment_name(site_settings.pk, language)
    return fragment_keys(request, [name], [])


def follow_link(*, site_settings: Any, language_code: str) -> FollowLink | None:
    """The channel a reader of this edition is invited to follow: the edition's own
    public channel (the Latin edition's is the Kazakh one), else the outlet-wide
    channel of the site settings, else none."""
    edition = (
        "kk" if language_code == settings.LATIN_EDITION_LANGUAGE else language_code
    )
    chat = (
        TelegramChannel.objects.filter(
            site_settings=site_settings, language=edition, enabled=True,
            chat__startswith="@",
        )
        .values_list("chat", flat=True)
        .first()
    )  # fmt: skip
    if chat:
        base = settings.AQPARAT_TELEGRAM_WEB_URL.rstrip("/")
        return FollowLink(url=f"{base}/{chat.removeprefix('@')}", name=chat)
    if site_settings.telegram_channel_url:
        return FollowLink(
            url=site_settings.telegram_channel_url,
            name=site_settings.telegram_channel_name or "Telegram",
        )
    return None
