"""ASCII URL slugs from titles, by language.

Kazakh goes through our 2021 transliterator and loses its diacritics; Russian through
a pinned table (ICAO Doc 9303, the passport system: я -> ia, ц -> ts, х -> kh), kept in
code so that installing a package never changes a URL; English through Django's
slugify. A slug is never empty.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

from aqparat.translit.latin import KAZAKH_CYRILLIC, fold_to_ascii, to_latin

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "story"

RUSSIAN_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_RUSSIAN_TABLE = {ord(k): v for k, v in RUSSIAN_ICAO.items()} | {
    ord(k.upper()): v.capitalize() for k, v in RUSSIAN_ICAO.items()
}


def _kazakh(title: str) -> str:
    return fold_to_ascii(to_latin(title))


def _russian(title: str) -> str:
    # Kazakh letters inside Russian text (names) still go through the Kazakh table.
    return _kazakh(title.translate(_RUSSIAN_TABLE))


_BY_LANGUAGE: dict[str, Callable[[str], str]] = {
    "kk": _kazakh,
    "kk-latn": _kazakh,
    "ru": _russian,
}


def slug_for(title: str, *, language_code: str) -> str:
    """The ASCII slug for `title` in a page of `language_code`; never empty."""
    slug = slugify(_BY_LANGUAGE.get(language_code.lower(), _kazakh)(title))
    if len(slug) > MAX_SLUG_LENGTH:  # cut at the last whole word that fits
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_SLUG_LENGTH]
    return slug.strip("-") or FALLBACK_SLUG


KAZAKH_ONLY_LETTERS = frozenset(KAZAKH_CYRILLIC) - frozenset(RUSSIAN_ICAO)


def cyrillic_language(text: str) -> str:
    """For text of unknown language (a tag): Kazakh if it has a letter Russian lacks."""
    return "kk" if KAZAKH_ONLY_LETTERS & set(text.lower()) else "ru"


def slug_unique(slug: str, *, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... whichever is not in `taken`."""
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def slug_formatters(language_code: str) -> list[tuple[str, str]]:
    """The same tables as (regex, replacement) pairs for Wagtail's SlugInput, so the
    slug an editor previews in the admin is the slug the server saves."""
    if language_code.lower() == "ru":
        table = dict(RUSSIAN_ICAO)
    elif language_code.lower().startswith("kk"):
        table = {ch: fold_to_ascii(to_latin(ch)) for ch in KAZAKH_CYRILLIC}
    else:
        return []
    return [*table.items(), *((cyr.upper(), lat) for cyr, lat in table.items())]
