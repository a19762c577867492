"""The 2021 Kazakh Latin transliterator: every letter, casing, policy, golden text."""

from __future__ import annotations

import re
import unicodedata

import pytest

from aqparat.translit.latin import (
    ALPHABET_2021,
    DEFAULT_LOAN_LETTERS,
    KAZAKH_CYRILLIC,
    fold_to_ascii,
    kazakh_lower,
    kazakh_upper,
    to_latin,
)

# The official 2021 letters, lower and upper case (see shared/reference/kazakh.md).
EXPECTED = {
    "а": ("a", "A"), "ә": ("ä", "Ä"), "б": ("b", "B"), "в": ("v", "V"),
    "г": ("g", "G"), "ғ": ("ğ", "Ğ"), "д": ("d", "D"), "е": ("e", "E"),
    "ж": ("j", "J"), "з": ("z", "Z"), "и": ("i", "İ"), "й": ("i", "İ"),
    "к": ("k", "K"), "қ": ("q", "Q"), "л": ("l", "L"), "м": ("m", "M"),
    "н": ("n", "N"), "ң": ("ñ", "Ñ"), "о": ("o", "O"), "ө": ("ö", "Ö"),
    "п": ("p", "P"), "р": ("r", "R"), "с": ("s", "S"), "т": ("t", "T"),
    "у": ("u", "U"), "ұ": ("ū", "Ū"), "ү": ("ü", "Ü"), "ф": ("f", "F"),
    "х": ("h", "H"), "һ": ("h", "H"), "ш": ("ş", "Ş"), "ы": ("y", "Y"),
    "і": ("ı", "I"),
    # Loan letters, by Aqparat's default policy.
    "ц": ("ts", "Ts"), "ч": ("ch", "Ch"), "щ": ("şş", "Şş"), "ё": ("io", "İo"),
    "э": ("e", "E"), "ю": ("iu", "İu"), "я": ("ia", "İa"), "ъ": ("", ""),
    "ь": ("", ""),
}  # fmt: skip

# Wikipedia ("Kazakh alphabets") prints this 1902 passage with its 2021-alphabet
# transliteration. Its Latin turns one em dash into a hyphen; we leave punctuation
# alone, so the golden test compares word for word.
GOLDEN_CYRILLIC = (
    "«Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен "
    "қазысының үйіне келіп қоныпты. Қазыменен сөйлесіп, қазыны сөзге жеңе беріпті. "
    "Сонда қазы қорқып, — „Бұл маған келген бала — менің қазылығымды тартып алса "
    "керек! Не де болса, бұған жалынып, сый беріп, орнымда қалайын!“ — деп, "
    "қатынына ақылдасыпты.»"
)
GOLDEN_LATIN = (
    "«Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken "
    "qazysynyñ üiıne kelıp qonypty. Qazymenen söilesıp, qazyny sözge jeñe berıptı. "
    "Sonda qazy qorqyp, — „Būl mağan kelgen bala - menıñ qazylyğymdy tartyp alsa "
    "kerek! Ne de bolsa, būğan jalynyp, syi berıp, ornymda qalaiyn!“ — dep, "
    "qatynyna aqyldasypty.»"
)


def test_the_table_covers_all_42_cyrillic_letters() -> None:
    assert len(KAZAKH_CYRILLIC) == 42
    assert set(KAZAKH_CYRILLIC) == set(ALPHABET_2021) | set(DEFAULT_LOAN_LETTERS)
    assert set(EXPECTED) == set(KAZAKH_CYRILLIC)


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_every_letter_in_both_cases(letter: str) -> None:
    lower, upper = EXPECTED[letter]
    assert to_latin(letter) == lower
    assert to_latin(letter.upper()) == upper


def test_the_latin_output_uses_only_the_31_letters_of_2021() -> None:
    # The 31 letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z
    alphabet_2021 = set("aäbdefgğhiıjklmnñoöpqrsştuūüvyz")
    produced = set("".join(ALPHABET_2021.values()))
    assert len(alphabet_2021) == 31
    assert produced == alphabet_2021
    assert "ç" not in produced and "ŋ" not in produced and "w" not in produced


def test_cedilla_s_not_comma_below() -> None:
    assert to_latin("Ш") == "\u015e"
    assert to_latin("ш") == "\u015f"


def test_kazakh_casing_of_i_letters() -> None:
    assert to_latin("ИІ") == "İI"
    assert to_latin("Ии Йй Іі") == "İi İi Iı"
    assert to_latin("ҚАЗАҚСТАН ІСКЕРЛЕРІ") == "QAZAQSTAN ISKERLERI"
    assert kazakh_upper("bırlık") == "BIRLIK"
    assert kazakh_upper("ilim") == "İLİM"
    assert kazakh_lower("İLİM BIRLIK") == "ilim bırlık"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Цирк", "Tsirk"),
        ("ЦИРК", "TSİRK"),
        ("Юрта", "İurta"),
        ("ЮРТА", "İURTA"),
        ("СЪЕЗД", "SEZD"),
        ("ОТЧЁТ", "OTCHİOT"),
        ("Щ", "Şş"),
        ("ЩИ ЩИ", "ŞŞİ ŞŞİ"),
        ("Я", "İa"),
    ],
)
def test_multi_letter_capitals_follow_their_word(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin


def test_golden_passage_word_for_word() -> None:
    ours = re.findall(r"\w+", to_latin(GOLDEN_CYRILLIC))
    theirs = re.findall(r"\w+", GOLDEN_LATIN)
    assert len(theirs) == 44
    assert ours == theirs


def test_punctuation_digits_and_spaces_are_untouched() -> None:
    text = "«2023», — „!?“ (1 098,5) № 7; 16.11.2023 09:58 \u00a0 ..."
    assert to_latin(text) == text


def test_idempotent_on_latin_text() -> None:
    once = to_latin(GOLDEN_CYRILLIC)
    assert to_latin(once) == once
    assert to_latin("Almaty and Busan, Qazaqstan, İlim, ılım") == (
        "Almaty and Busan, Qazaqstan, İlim, ılım"
    )


def test_output_is_nfc_even_from_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Қазақстанның жаңа әнұраны, йод, ёлка")
    result = to_latin(decomposed)
    assert result == unicodedata.normalize("NFC", result)
    assert result == "Qazaqstannyñ jaña änūrany, iod, iolka"


def test_loan_letter_policy_can_be_replaced() -> None:
    policy = {**DEFAULT_LOAN_LETTERS, "ц": "s", "ч": "ş"}
    assert to_latin("Цирк пен чай", loan_letters=policy) == "Sirk pen şai"
    assert to_latin("Цирк") == "Tsirk"


def test_editor_overrides_win_longest_first() -> None:
    overrides = {"компьютер": "kompıuter", "компьютерлік сауат": "kompıuterlık sauat"}
    text = "компьютерлік сауат пен компьютер"
    assert to_latin(text) == "kompiuterlık sauat pen kompiuter"
    assert to_latin(text, overrides=overrides) == "kompıuterlık sauat pen kompıuter"


def test_fold_to_ascii() -> None:
    assert fold_to_ascii("äğıİñöşūü ÄĞIÑÖŞŪÜ") == "agiInosuu AGINOSUU"
