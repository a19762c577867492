"""Text editors type is stored without control characters.

A headline or caption pasted from a word processor or a messenger can carry
U+0000, U+000B, U+001F, C1 controls or the Unicode line and paragraph separators:
HTML may not contain them (the Nu checker fails every listing that shows the
headline), XML 1.0 refuses most (a feed with one does not parse), and Telegram and
JSON readers choke or show boxes. They are removed from every text field of our
models (pages, photos, tags, authors, sources, the banner, corrections, snippets)
when a row is saved, whatever saved it: the admin's forms, a publication from a
revision, an import. Tabs and line breaks stay; nothing else of the text changes.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from taggit.utils import _parse_tags

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def text_cleaned(value: str) -> str:
    """`value` without control characters (tab, line feed and return kept)."""
    return CONTROL_CHARACTERS.sub("", value)


def control_characters_removed(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """pre_save of every model (core/apps.py): our apps' text fields cleaned.
    Fixtures (`raw`) load as they are."""
    if raw or not sender.__module__.startswith("aqparat."):
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                setattr(instance, field.attname, text_cleaned(value))


def tags_from_string(text: str) -> list[str]:
    """taggit's reading of the tags an editor typed (TAGGIT_TAGS_FROM_STRING),
    cleaned first: taggit looks tags up by name before any row is saved, and
    PostgreSQL refuses a NUL even in a query."""
    return [name for name in _parse_tags(text_cleaned(text)) if name]
