"""Kazakh Cyrillic -> the official 2021 Kazakh Latin alphabet, as pure functions.

Written by hand because no light library does it: the one PyPI package that knows the
2021 letters pulls in torch and transformers. The table is the 2021 alphabet (31
letters; и/й share İ i, х/һ share H h). Letters that the alphabet does not have (the
Russian loan letters ц ч щ ё э ю я ъ ь) follow one project policy table, which
settings may override (AQPARAT_TRANSLIT_LOAN_LETTERS).

Rules: input is NFC-normalised; case comes from the Cyrillic source (И -> İ, І -> I),
never from upper-casing Latin output; everything that is not a Cyrillic letter
(punctuation, digits, Latin text) passes through, so the function is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

# The 2021 alphabet, lower case. 33 Cyrillic letters onto 31 Latin ones.
ALPHABET_2021: Mapping[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d",
    "е": "e", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f",
    "х": "h", "һ": "h", "ш": "ş", "ы": "y", "і": "ı",
}  # fmt: skip

# Aqparat's default policy for the nine letters outside the alphabet (documented for
# editors in docs/decisions/0004-kazakh-latin-edition.md).
DEFAULT_LOAN_LETTERS: Mapping[str, str] = {
    "ц": "ts", "ч": "ch", "щ": "şş", "ё": "io", "э": "e",
    "ю": "iu", "я": "ia", "ъ": "", "ь": "",
}  # fmt: skip

KAZAKH_CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


def kazakh_upper(text: str) -> str:
    """Upper-case Kazakh Latin: i -> İ, ı -> I (Python's str.upper gets i wrong)."""
    return "".join("İ" if ch == "i" else ch.upper() for ch in text)


def kazakh_lower(text: str) -> str:
    """Lower-case Kazakh Latin text: İ -> i, I -> ı (str.lower gives 'i̇' and 'i')."""
    return "".join({"İ": "i", "I": "ı"}.get(ch) or ch.lower() for ch in text)


def _capitalised(latin: str) -> str:
    return kazakh_upper(latin[:1]) + latin[1:]


@lru_cache(maxsize=8)
def _tables(
    loan_items: tuple[tuple[str, str], ...],
) -> tuple[dict[int, str], re.Pattern[str]]:
    """A str.translate table for every letter, and a pattern for the capitals whose
    Latin has more than one letter (their case depends on their neighbours)."""
    lower = {**ALPHABET_2021, **dict(loan_items)}
    table: dict[int, str] = {}
    for cyr, lat in lower.items():
        table[ord(cyr)] = lat
        table[ord(cyr.upper())] = _capitalised(lat)
    multi = "".join(cyr.upper() for cyr, lat in lower.items() if len(lat) > 1)
    pattern = re.compile(f"[{multi}]") if multi else re.compile(r"(?!x)x")
    return table, pattern


def _all_caps_context(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    if after.isalpha():
        return after.isupper()
    return before.isalpha() and before.isupper()


@lru_cache(maxsize=32)
def _override_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(phrases, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in longest_first))


def to_latin(
    text: str,
    *,
    loan_letters: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> str:
    """Transliterate Kazakh Cyrillic `text` into the 2021 Latin alphabet.

    `overrides` maps Cyrillic phrases to the Latin an editor chose for them (loanwords
    the table gets wrong); the longest matching phrase wins, and the rest of the text
    goes through the table.
    """
    table, capitals = _tables(
        tuple(sorted((loan_letters or DEFAULT_LOAN_LETTERS).items()))
    )
    text = unicodedata.normalize("NFC", text)
    if overrides:
        fixed = {unicodedata.normalize("NFC", k): v for k, v in overrides.items() if k}
        if fixed:
            text = _override_pattern(tuple(fixed)).sub(lambda m: fixed[m.group()], text)

    def capital(match: re.Match[str]) -> str:
        latin = table[ord(match.group())]
        if _all_caps_context(text, match.start(), match.end()):
            return kazakh_upper(latin)
        return latin

    return unicodedata.normalize("NFC", capitals.sub(capital, text).translate(table))


def fold_to_ascii(latin: str) -> str:
    """Drop the 2021 alphabet's diacritics (ä ğ ı İ ñ ö ş ū ü -> a g i i n o s u u)."""
    folded = latin.replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
