"""Writes of news content that are more than a page save."""

from __future__ import annotations

from wagtail.models import Page

from aqparat.news.models import TranslationSource


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
