"""Writes of news content that are more than a page save."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from aqparat.news.models import (
    BANNER_HOURS,
    ArticlePage,
    BreakingBanner,
    TranslationSource,
)


def breaking_banner_for_story(*, page: ArticlePage) -> BreakingBanner | None:
    """A story first published with its "breaking news" box ticked is its edition's
    banner for BANNER_HOURS (once: a later publication makes none). Called when a
    page is published (news.apps)."""
    if not page.breaking or page.alias_of_id is not None:
        return None
    first, last = page.first_published_at, page.last_published_at
    if first is None or first != last:  # not its first publication
        return None
    if BreakingBanner.objects.filter(page=page).exists():
        return None
    now = timezone.now()
    return BreakingBanner.objects.create(
        language=page.locale.language_code, text=page.title[:200], page=page,
        starts_at=now, expires_at=now + timedelta(hours=BANNER_HOURS),
    )  # fmt: skip


def translation_source_record(*, translation: Page, source: Page) -> TranslationSource:
    """Remember that `translation` was made from `source` as it stands now (its live
    revision, or its latest draft if it was never published)."""
    revision_id = source.live_revision_id or source.latest_revision_id
    record, _ = TranslationSource.objects.update_or_create(
        translation=translation,
        defaults={"source": source, "source_revision_id": revision_id},
    )
    return record


def translation_mark_current(*, translation: Page) -> TranslationSource | None:
    """A translator brought `translation` up to date with its source's current text."""
    record = TranslationSource.objects.filter(translation=translation).first()
    if record is None:
        return None
    return translation_source_record(translation=translation, source=record.source)
