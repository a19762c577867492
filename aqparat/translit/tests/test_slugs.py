"""ASCII slugs by language, never empty, unique among siblings."""

from __future__ import annotations

import pytest

from aqparat.translit.slugs import MAX_SLUG_LENGTH, slug_for, slug_unique


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Алматы мен Пусан арасындағы достық пен ынтымақтастық туралы келісімге "
            "қол қойылғанына бір жыл толды",
            "almaty-men-pusan-arasyndagy-dostyq-pen-yntymaqtastyq-turaly-kelisimge-qol",
        ),
        (
            "Қазақ фольклорлық-этнографиялық ансамблі «Сазген сазы» концерт берді",
            "qazaq-folklorlyq-etnografiialyq-ansambli-sazgen-sazy-kontsert-berdi",
        ),
        ("Әлем жаңалықтары", "alem-janalyqtary"),
        ("Әуезов театрі", "auezov-teatri"),
        (
            "Ғылым, Қазақстан, Ңң, Өнер, Ұлттық, Үкімет, Һ, Іле",
            "gylym-qazaqstan-nn-oner-ulttyq-ukimet-h-ile",
        ),
        ("Kazakh Latin: Qazaqstan İlimi", "kazakh-latin-qazaqstan-ilimi"),
    ],
)
def test_kazakh_slugs(title: str, slug: str) -> None:
    assert slug_for(title, language_code="kk") == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Концерт ансамбля «Сазген сазы» в Пусане",
            "kontsert-ansamblia-sazgen-sazy-v-pusane",
        ),
        ("Щедрый урожай: Хлеб и Чай", "shchedryi-urozhai-khleb-i-chai"),
        ("Объём экспорта вырос на 5%", "obieem-eksporta-vyros-na-5"),
        ("Әкімдік Қарағандыда", "akimdik-qaragandyda"),
    ],
)
def test_russian_slugs_use_the_pinned_icao_table(title: str, slug: str) -> None:
    assert slug_for(title, language_code="ru") == slug


def test_english_slugs_are_plain() -> None:
    assert (
        slug_for("Almaty and Busan: 1 year!", language_code="en")
        == "almaty-and-busan-1-year"
    )
    assert slug_for("Bayan-Ölgii herders", language_code="en") == "bayan-olgii-herders"


@pytest.mark.parametrize("title", ["", "«»", "— ! —", "😀", "ъь"])
def test_never_empty(title: str) -> None:
    for language in ("kk", "ru", "en"):
        assert slug_for(title, language_code=language)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slug_for("сөз " * 60, language_code="kk")
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"soz"}


def test_slugs_are_ascii_for_every_cyrillic_letter() -> None:
    letters = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
    for language in ("kk", "ru"):
        slug = slug_for(letters + " " + letters.upper(), language_code=language)
        assert slug.isascii(), (language, slug)


def test_unique_among_siblings() -> None:
    assert slug_unique("news", taken=set()) == "news"
    assert slug_unique("news", taken={"news", "news-2"}) == "news-3"
