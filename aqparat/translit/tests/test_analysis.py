"""The text analysis: normalising, the Kazakh stripper and its guards, folding,
Latin-script Kazakh, Snowball for Russian and English, and query parsing."""

from __future__ import annotations

import pytest

from aqparat.translit.analysis import (
    kazakh_stem,
    latin_to_cyrillic,
    normalise,
    query_groups,
    word_terms,
    words,
)


def kk(word: str) -> tuple[str, ...]:
    return word_terms(normalise(word), language_code="kk")


@pytest.mark.parametrize(
    ("inflected", "base"),
    [  # the 15 pairs of kazakh.md 4.4, and more
        ("келісімге", "келісім"),
        ("келісімдері", "келісім"),
        ("қойылғанына", "қойылды"),
        ("ансамблінің", "ансамбль"),
        ("достығы", "достық"),
        ("концерттер", "концерт"),
        ("мектептерімізде", "мектеп"),
        ("ынтымақтастығы", "ынтымақтастық"),
        ("Пусанда", "Пусан"),
        ("Пусандағы", "Пусан"),
        ("Алматыда", "Алматы"),
        ("Қазақстанның", "Қазақстан"),
        ("қалалардағы", "қала"),
        ("мұражайға", "мұражай"),
        ("театрға", "театр"),
        ("жылғы", "жыл"),
    ],
)
def test_inflected_kazakh_forms_share_a_stem(inflected: str, base: str) -> None:
    assert kk(inflected) == kk(base)


@pytest.mark.parametrize(
    ("word", "stem"),
    [  # over-stemming that kazakh.md 4.4 saw: the protected list and guards stop it
        ("Алматы", "алматы"),  # not алма ("apple")
        ("Қазақстан", "қазақстан"),  # not қазақс
        ("туралы", "туралы"),  # not турал
        ("Пусан", "пусан"),  # not пуса
        ("достық", "достық"),  # derivation is kept
        ("ел", "ел"),  # shorter than any stem
        ("бала", "бала"),  # one-letter endings need a longer stem
        ("2022", "2022"),
    ],
)
def test_stripper_guards(word: str, stem: str) -> None:
    assert kazakh_stem(normalise(word)) == stem


def test_protected_words_file_is_read_normalised() -> None:
    from aqparat.translit.analysis import protected_words

    assert {"алматы", "қазақстан", "туралы"} <= protected_words()
    assert all(w == normalise(w) for w in protected_words())


@pytest.mark.parametrize(
    ("typed", "written"),
    [  # Russian keyboard, and the 2021 Latin alphabet with or without diacritics
        ("казакстанга", "Қазақстанға"),
        ("келисим", "келісім"),
        ("Кайрат", "Қайрат"),
        ("Almaty", "Алматы"),
        ("Qazaqstan", "Қазақстан"),
        ("kelısımge", "келісімге"),
        ("kelisim", "келісім"),
        ("Qairat", "Қайрат"),
        ("mūrajai", "мұражай"),
        ("murajai", "мұражай"),
        ("Shymkent", "Шымкент"),
    ],
)
def test_typed_spellings_meet_the_kazakh_text(typed: str, written: str) -> None:
    assert set(kk(typed)) & set(kk(written))


def test_latin_to_cyrillic_uses_the_translit_table_backwards() -> None:
    assert latin_to_cyrillic("qazaqstan") == "қазақстан"
    assert latin_to_cyrillic("äñğüūöış") == "әңғүұөіш"
    assert latin_to_cyrillic("алматы") == "алматы"


@pytest.mark.parametrize(
    ("language", "a", "b"),
    [
        ("ru", "концерты", "концерт"),
        ("ru", "соглашениях", "соглашение"),
        ("ru", "ёлка", "елка"),
        ("en", "agreements", "agreement"),
        ("en", "vaccinations", "vaccination"),
    ],
)
def test_snowball_for_russian_and_english(language: str, a: str, b: str) -> None:
    assert word_terms(normalise(a), language_code=language) == word_terms(
        normalise(b), language_code=language
    )


def test_stemming_can_be_switched_off() -> None:
    assert word_terms("келісімге", language_code="kk", stem=False)[0] == "келісімге"
    assert word_terms("agreements", language_code="en", stem=False) == ("agreements",)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00", "-+*()[]{}\"'", "<b>", "😀🇰🇿", "AND OR NOT", "\u200b\u202e"],
)
def test_queries_without_words_have_no_groups(text: str) -> None:
    assert query_groups(text, language_code="kk") == []


def test_query_groups_drop_operators_markup_and_repeats() -> None:
    groups = query_groups(
        '"келісім" AND (Алматы OR -келісімге*) NOT <b>', language_code="kk"
    )
    assert groups == [kk("келісім"), ("алматы",)]


def test_query_groups_are_capped() -> None:
    many = " ".join(f"сөз{i}" for i in range(100))
    assert len(query_groups(many, language_code="kk", max_words=12)) == 12


def test_normalise_and_words() -> None:
    assert normalise("ЁЛКА Объявь") == "елка обяв"
    assert words("Kazakhstan's 2 big-city a") == ["kazakhstan", "2", "big", "city"]
