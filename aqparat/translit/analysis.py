"""Text analysis for site search, as pure functions: the same code turns an article
into the terms the index holds and a reader's query into the terms it looks for.

Per language: normalise (NFC, lower case, ё -> е, drop ь ъ), split into words, then
stem. Russian and English use Snowball (`snowballstemmer`). Kazakh uses our own
suffix stripper, because no stemmer exists for it (not in Snowball, not in
PostgreSQL; the one real analyser, kazstem, needs GPL FST resources and native
binaries): see docs/subsystems/search.md. Kazakh text is also indexed in a *folded*
form (ә -> а, қ -> к, ...) for readers typing on a Russian keyboard, and Kazakh
written in the 2021 Latin alphabet (with or without its diacritics) is read back
into Cyrillic with the inverse of aqparat/translit's table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from aqparat.translit.latin import ALPHABET_2021

KAZAKH = "kk"
LATIN_KAZAKH = "kk-latn"

_WORD = re.compile(r"[^\W_]+")
_LATIN = re.compile(r"[a-zäğıñöşūüç]")

# The Russian-keyboard spelling of the nine Kazakh letters Russian lacks; й goes
# to и as well, because the 2021 Latin alphabet writes both as i.
KAZAKH_FOLD = str.maketrans("әғқңөұүһій", "агкноуухии")


def _latin_to_cyrillic_table() -> dict[str, str]:
    """The 2021 table read backwards (и/й share i, х/һ share h: the first wins),
    plus the digraphs of older romanisations that readers still type."""
    table: dict[str, str] = {}
    for cyrillic, latin in ALPHABET_2021.items():
        table.setdefault(latin, cyrillic)
    return {**table, "sh": "ш", "ch": "ч", "zh": "ж", "w": "у", "ç": "ч"}


_FROM_LATIN = _latin_to_cyrillic_table()
_FROM_LATIN_PATTERN = re.compile(
    "|".join(sorted(map(re.escape, _FROM_LATIN), key=len, reverse=True))
)

# --- The Kazakh suffix stripper --------------------------------------------------
# Inflection only (plural, possessive, case, the common verb endings), never
# derivation (-лық, -шы, -сыз), so a stem stays a word of the same meaning.
KAZAKH_SUFFIXES: tuple[str, ...] = (
    # plural
    "лар", "лер", "дар", "дер", "тар", "тер",
    # possessive
    "ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз",
    "ым", "ім", "ың", "ің", "сы", "сі", "ы", "і",
    # genitive, dative, accusative
    "ның", "нің", "дың", "дің", "тың", "тің",
    "ға", "ге", "қа", "ке", "на", "не",
    "ны", "ні", "ды", "ді", "ты", "ті", "н",
    # locative, ablative, instrumental, "of/in" (-дағы)
    "нда", "нде", "да", "де", "та", "те",
    "нан", "нен", "дан", "ден", "тан", "тен",
    "мен", "бен", "пен",
    "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "ғы", "гі",
    # participles and verb forms (-ған, -атын, -уда, -ып)
    "ған", "ген", "қан", "кен", "атын", "етін", "йтын", "йтін",
    "уда", "уде", "ып", "іп",
)  # fmt: skip
# A stem keeps at least this many letters; one-letter endings need a longer stem.
MIN_STEM = 3
MIN_STEM_BEFORE_ONE_LETTER = 4
# Consonants that voice before a vowel ending come back at the end of a stem:
# достығы -> достығ -> достық.
KAZAKH_FINAL = str.maketrans({"ғ": "қ", "г": "к", "б": "п"})
# -ғы/-гі (жылғы) follows a consonant; after a vowel the ғ is the stem's own
# voiced қ before the possessive -ы (достығы = достық + ы).
_AFTER_CONSONANT_ONLY = frozenset({"ғы", "гі", "гы", "ги"})
_VOWELS = frozenset("аәеиоөуұүыіэюя")

PROTECTED_FILE = Path(__file__).parent / "protected_words.txt"


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """Words never stemmed (place names, tags, words the stripper mangles), one a
    line in protected_words.txt; `#` starts a comment."""
    words: set[str] = set()
    for line in PROTECTED_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(normalise(word))
    return frozenset(words)


@lru_cache(maxsize=1)
def _folded_rules() -> tuple[tuple[tuple[int, frozenset[str]], ...], frozenset[str]]:
    return (
        _by_length({s.translate(KAZAKH_FOLD) for s in KAZAKH_SUFFIXES}),
        frozenset(w.translate(KAZAKH_FOLD) for w in protected_words()),
    )


def _protected_prefix(word: str, protected: frozenset[str]) -> int:
    """The length of the longest protected word `word` starts with (0 if none)."""
    for end in range(len(word), MIN_STEM - 1, -1):
        if word[:end] in protected:
            return end
    return 0


def _by_length(suffixes: Iterable[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """Suffixes grouped by length, longest first: one set lookup per length."""
    lengths = sorted({len(s) for s in suffixes}, reverse=True)
    return tuple((n, frozenset(s for s in suffixes if len(s) == n)) for n in lengths)


_SUFFIXES = _by_length(KAZAKH_SUFFIXES)


def _strip(
    word: str,
    suffixes: tuple[tuple[int, frozenset[str]], ...],
    protected: frozenset[str],
) -> str:
    # A protected word is never cut into: Пусанда loses -да, not -нда.
    floor = max(_protected_prefix(word, protected), MIN_STEM)
    stripped = False
    while word not in protected:
        for length, group in suffixes:
            rest = len(word) - length
            minimum = MIN_STEM_BEFORE_ONE_LETTER if length == 1 else MIN_STEM
            suffix = word[rest:]
            if (
                rest >= max(minimum, floor)
                and suffix in group
                and not (suffix in _AFTER_CONSONANT_ONLY and word[rest - 1] in _VOWELS)
            ):
                word, stripped = word[:rest], True
                break
        else:
            break
    if stripped and word not in protected:
        word = word[:-1] + word[-1].translate(KAZAKH_FINAL)
    return word


def kazakh_stem(word: str) -> str:
    """Greedy longest-suffix-first stripping of a normalised Cyrillic Kazakh word."""
    if word.isdigit():
        return word
    return _strip(word, _SUFFIXES, protected_words())


def kazakh_stem_folded(word: str) -> str:
    """The same stripper for a word without the Kazakh-only letters."""
    if word.isdigit():
        return word
    suffixes, protected = _folded_rules()
    return _strip(word.translate(KAZAKH_FOLD), suffixes, protected)


# --- Normalising and splitting ---------------------------------------------------
def normalise(text: str) -> str:
    """NFC, lower case, ё -> е, without ь and ъ (the reader rarely types them)."""
    text = unicodedata.normalize("NFC", text).lower()
    # str.replace: several times faster than str.translate on long texts.
    return (
        text.replace("ё", "е").replace("ь", "").replace("ъ", "").replace("\u0307", "")
    )


def words(text: str) -> list[str]:
    """The words of normalised `text`; one-letter words other than digits dropped."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) > 1 or w.isdigit()]


def latin_to_cyrillic(word: str) -> str:
    """Kazakh in the 2021 Latin alphabet (or without its diacritics) -> Cyrillic."""
    if not _LATIN.search(word):
        return word
    return _FROM_LATIN_PATTERN.sub(lambda m: _FROM_LATIN[m.group()], word)


@lru_cache(maxsize=4)
def _snowball(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer({"ru": "russian", "en": "english"}[language])


def _base_language(language_code: str) -> str:
    code = language_code.lower()
    if code.startswith(KAZAKH):
        return KAZAKH
    return code if code in ("ru", "en") else "en"


@lru_cache(maxsize=200_000)
def word_terms(word: str, *, language_code: str, stem: bool = True) -> tuple[str, ...]:
    """The index terms of one normalised word: its stem, and for Kazakh also the
    stem of its folded spelling when that differs. The first term is the exact one."""
    language = _base_language(language_code)
    if language == KAZAKH:
        word = latin_to_cyrillic(word)
        folded = word.translate(KAZAKH_FOLD)
        if stem:
            exact, folded = kazakh_stem(word), kazakh_stem_folded(word)
        else:
            exact = word
        return (exact,) if folded == exact else (exact, folded)
    if not stem:
        return (word,)
    return (_snowball(language).stemWord(word),)


# --- Documents and queries ---------------------------------------------------------
def document_terms(
    text: str, *, language_code: str, stem: bool = True
) -> Iterator[str]:
    for word in words(text):
        yield from word_terms(word, language_code=language_code, stem=stem)


def analyse_document(
    texts: Iterable[str], *, language_code: str, stem: bool = True
) -> str:
    """What the index stores for an article's `texts`: its terms, space-separated."""
    return _analysed(tuple(texts), language_code, stem)


@lru_cache(maxsize=64)
def _analysed(texts: tuple[str, ...], language_code: str, stem: bool) -> str:
    # Cached by content: the backends ask for each indexed value several times
    # per object (title, body, and on PostgreSQL their plain-text copies).
    return " ".join(
        term
        for text in texts
        for term in document_terms(text, language_code=language_code, stem=stem)
    )


# Words a query may contain that are not what it looks for: the boolean operators
# readers copy from other search engines.
QUERY_OPERATORS = frozenset({"and", "or", "not"})


def query_groups(
    query: str, *, language_code: str, stem: bool = True, max_words: int = 12
) -> list[tuple[str, ...]]:
    """A reader's query as groups of alternative terms: a match needs one term of
    every group. Operators and punctuation carry no meaning; repeated words count
    once; at most `max_words` words are kept."""
    groups: list[tuple[str, ...]] = []
    for word in words(query):
        if word in QUERY_OPERATORS and not word.isdigit():
            continue
        group = word_terms(word, language_code=language_code, stem=stem)
        if group not in groups:
            groups.append(group)
        if len(groups) == max_words:
            break
    return groups


def matches(
    word: str, terms: frozenset[str], *, language_code: str, stem: bool = True
) -> bool:
    """Whether one word of a text is a hit for the query's `terms` (highlighting)."""
    normalised = normalise(word)
    if not normalised:
        return False
    found = word_terms(normalised, language_code=language_code, stem=stem)
    return not terms.isdisjoint(found)
