"""Posts are cut where Telegram counts, never inside a character a reader sees."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from aqparat.telegram.formatting import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    clean,
    cut,
    post_html,
    utf16_len,
)

URL = "https://aqparat.kz/en/news/almaty-and-busan/"
FAMILY = "👩‍👩‍👧‍👦"  # one grapheme, seven code points, 11 UTF-16 units


def test_length_is_counted_in_utf16_units() -> None:
    assert utf16_len("Қазақстан") == 9
    assert utf16_len("🇰🇿") == 4
    assert utf16_len(FAMILY) == 11


def test_short_text_is_left_alone() -> None:
    assert cut("Алматы мен Пусан", 100) == "Алматы мен Пусан"


def test_a_cut_prefers_a_word_boundary_and_ends_with_an_ellipsis() -> None:
    text = "Алматы мен Пусан бауырлас қалалар туралы келісімге қол қойды"
    result = cut(text, 30)
    assert result == "Алматы мен Пусан бауырлас…"
    assert utf16_len(result) <= 30


def test_a_cut_never_splits_an_emoji_sequence_or_a_flag() -> None:
    text = ("x" * 10) + FAMILY + "🇰🇿" * 3
    for limit in range(8, 30):
        result = cut(text, limit)
        assert utf16_len(result) <= limit
        graphemes = regex.findall(r"\X", result.removesuffix("…"))
        assert all(g in ("x", FAMILY, "🇰🇿") for g in graphemes), (limit, result)


def test_clean_drops_control_characters_and_tidies_a_headline() -> None:
    assert clean("Budget\x0b passed\x00 \r\n today", single_line=True) == (
        "Budget passed today"
    )
    assert clean("One.\r\n\r\n\r\nTwo.") == "One.\nTwo."


def test_markup_in_a_headline_is_escaped_not_interpreted() -> None:
    html = post_html(
        headline="<b>Tom & Jerry</b> </i>", lead="a < b", url=URL + '?a="1"&b=2',
        link_label="Read on the site", limit=TEXT_LIMIT,
    )  # fmt: skip
    assert html.startswith("<b>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; &lt;/i&gt;</b>")
    assert "a &lt; b" in html
    assert (
        'href="https://aqparat.kz/en/news/almaty-and-busan/?a=&quot;1&quot;&amp;b=2"'
        in html
    )


def _visible_length(html: str) -> int:
    """The plain text Telegram would count: tags removed, the four entities decoded."""
    text = regex.sub(r"<[^>]+>", "", html)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return utf16_len(text)


def test_a_5000_character_lead_fits_a_message_and_a_caption() -> None:
    lead = ("Келісім бойынша екі қала мәдениет, туризм және білім саласында "
            "бірлесіп жұмыс істейді. ") * 60  # fmt: skip
    assert len(lead) > 5000
    for limit in (TEXT_LIMIT, CAPTION_LIMIT):
        html = post_html(headline="Headline", lead=lead, url=URL,
                         link_label="Толығырақ", limit=limit)  # fmt: skip
        assert limit - 60 < _visible_length(html) <= limit
        assert "…\n\n<a href=" in html


@given(
    headline=st.text(min_size=1, max_size=400),
    lead=st.text(max_size=6000),
    note=st.text(max_size=2000),
)
def test_any_text_stays_within_the_limits(headline: str, lead: str, note: str) -> None:
    for limit in (TEXT_LIMIT, CAPTION_LIMIT):
        html = post_html(headline=headline, lead=lead, url=URL, note=note,
                         link_label="Read on the site", limit=limit)  # fmt: skip
        assert _visible_length(html) <= limit
        assert html.endswith("Read on the site</a>")


def test_a_long_correction_note_leaves_the_headline_and_lead_their_room() -> None:
    note = "Corrected: " + "the earlier version gave the wrong figure; " * 40
    html = post_html(headline="Headline", lead="The lead, in full.", url=URL,
                     link_label="Read on the site", limit=CAPTION_LIMIT,
                     note=note)  # fmt: skip
    headline, lead, italic, _link = html.split("\n\n")
    assert (headline, lead) == ("<b>Headline</b>", "The lead, in full.")
    assert italic.startswith("<i>Corrected: the earlier") and italic.endswith("…</i>")
    assert _visible_length(italic) <= CAPTION_LIMIT // 4
