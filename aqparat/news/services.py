"""Writes of news content that are more than a page save."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page

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
    if not page.is_first_publication():
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


def translation_follows_its_section(*, translation: ArticlePage) -> None:
    """A new translation posts to Telegram as its section says for new stories
    (the source's choice was its own desk's), in the page and in the draft the
    translator opens."""
    section = translation.get_parent().specific
    choice = getattr(section, "telegram_default", True)
    if translation.telegram_post == choice:
        return
    translation.telegram_post = choice
    translation.save(update_fields=["telegram_post"])
    revision = translation.latest_revision
    if revision is not None:  # the copy's own first revision, not yet anyone's work
        revision.content["telegram_post"] = choice
        revision.save(update_fields=["content"])


def translation_draft(*, source: ArticlePage, language: str, user: Any) -> Page:
    """The story's page in `language`'s edition, made as a draft when missing: the
    story copied for translation (its photo, tags, sources and body, for the
    translator to replace), recorded as translated from the source's live revision
    (news.apps). Asked again, the same page: never a second translation.
    Raises ParentNotTranslatedError when the story's section has no page there."""
    locale = Locale.objects.get(language_code=language)
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing
    action = CopyPageForTranslationAction(source, locale, user=user)
    try:
        with transaction.atomic():  # a savepoint: another click may make it first
            draft = action.execute(skip_permission_checks=True)  # the view checked
    except IntegrityError:  # that click's draft (one page per story and edition)
        return Page.objects.get(translation_key=source.translation_key, locale=locale)
    draft.owner = user  # the translator's own draft, to open and submit
    draft.save(update_fields=["owner"])
    return draft
