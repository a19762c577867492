"""Reads for the Latin edition: the editors' spellings, through the cache."""

from __future__ import annotations

from django.core.cache import cache

from aqparat.translit.models import LatinSpelling, spelling_is_plain

SPELLINGS_CACHE_KEY = "translit:spellings:v1"


def latin_spellings() -> dict[str, str]:
    """Cyrillic -> Latin choices of the editors; cleared whenever one is saved.
    Only plain-text ones (a row saved before the form checked it is left out): they
    go into pages, feeds and API bodies as they are."""
    spellings: dict[str, str] | None = cache.get(SPELLINGS_CACHE_KEY)
    if spellings is None:
        spellings = {
            cyrillic: latin
            for cyrillic, latin in LatinSpelling.objects.values_list(
                "cyrillic", "latin"
            )
            if spelling_is_plain(cyrillic, latin)
        }
        cache.set(SPELLINGS_CACHE_KEY, spellings, 3600)
    return spellings
