"""Reads for the Latin edition: the editors' spellings, through the cache."""

from __future__ import annotations

from django.core.cache import cache

from aqparat.translit.models import LatinSpelling

SPELLINGS_CACHE_KEY = "translit:spellings:v1"


def latin_spellings() -> dict[str, str]:
    """Cyrillic -> Latin choices of the editors; cleared whenever one is saved."""
    spellings: dict[str, str] | None = cache.get(SPELLINGS_CACHE_KEY)
    if spellings is None:
        spellings = dict(LatinSpelling.objects.values_list("cyrillic", "latin"))
        cache.set(SPELLINGS_CACHE_KEY, spellings, 3600)
    return spellings
