"""The rates parser: both shapes, every documented quirk, and hostile input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aqparat.rates.exceptions import RatesFeedError
from aqparat.rates.parser import RatesDocument, parse_rates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RATES_ALL = (FIXTURES / "rates_all.xml").read_bytes()
GET_RATES = (FIXTURES / "get_rates.xml").read_bytes()


def rates(document: RatesDocument) -> dict[str, tuple[Decimal, int, Decimal, str]]:
    return {r.currency: (r.value, r.quant, r.change, r.index) for r in document.rates}


def test_rates_all_keeps_only_the_newest_date_and_reads_both_year_forms() -> None:
    document = parse_rates(RATES_ALL)
    assert document.on_date == date(2023, 11, 16)
    found = rates(document)
    assert "LVL" not in found  # a dead currency with a stale pubDate
    assert found["USD"] == (Decimal("498.51"), 1, Decimal("1.12"), "UP")
    assert found["EUR"] == (Decimal("522.84"), 1, Decimal("-0.47"), "DOWN")
    assert found["RUB"] == (Decimal("4.81"), 1, Decimal("0.00"), "")
    assert found["UZS"] == (
        Decimal("4.06"),
        100,
        Decimal("0.00"),
        "",
    )  # DD.MM.YY, <index/>
    assert found["IRR"][:2] == (Decimal("11.8"), 1000)
    assert document.problems == []


def test_get_rates_document_date_and_unsigned_change() -> None:
    document = parse_rates(GET_RATES)
    assert document.on_date == date(2023, 11, 16)
    found = rates(document)
    assert found["AUD"] == (Decimal("302.61"), 1, Decimal("0.95"), "UP")
    assert found["AMD"][:2] == (Decimal("12.38"), 10)
    assert len(found) == 5


@pytest.mark.parametrize(
    ("bad_item", "problem"),
    [
        ("<title>USD</title><description>abc</description>", "non-numeric rate"),
        ("<title>USD</title><description>498,51</description>", "non-numeric rate"),
        ("<title>USD</title><description>-1</description>", "positive"),
        ("<title>US$</title><description>1</description>", "unknown currency code"),
        ("<title>USD</title><description>1</description><quant>0</quant>", "bad quant"),
        (
            "<title>USD</title><description>1</description><index>SIDEWAYS</index>",
            "bad index",
        ),
        (
            "<title>USD</title><description>1</description><change>++1</change>",
            "non-numeric change",
        ),
    ],
)
def test_a_bad_item_spoils_only_itself(bad_item: str, problem: str) -> None:
    data = GET_RATES.replace(b"</rates>", f"<item>{bad_item}</item></rates>".encode())
    document = parse_rates(
        data.replace(b"<title>USD</title>", b"<title>XXX</title>", 1)
    )
    assert len(document.rates) == 5
    assert any(problem in p for p in document.problems), document.problems


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><feed/>", "not a National Bank rates document"),
        (b"   \n", "empty"),
        (
            b"<html><body>502 Bad Gateway</body></html>",
            "HTML page instead",
        ),
        (
            b"<!DOCTYPE html><html><head></head><body>Maintenance</body></html>",
            "HTML page instead",
        ),
        (RATES_ALL[: len(RATES_ALL) // 2], "malformed or truncated"),
        (b"\x89PNG\r\n\x1a\n", "malformed"),
        (b"<rates><date>31.02.2023</date></rates>", "bad document date"),
        (b"<rates></rates>", "bad document date"),
        (b"<rss><channel></channel></rss>", "no dated items"),
    ],
)
def test_documents_that_are_not_rates_raise_one_clear_error(
    data: bytes, message: str
) -> None:
    with pytest.raises(RatesFeedError, match=message):
        parse_rates(data)


def test_entity_expansion_is_refused_before_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<rates><date>16.11.2023</date><item><title>&lol3;</title></item></rates>"
    )
    with pytest.raises(RatesFeedError, match="unsafe XML"):
        parse_rates(bomb)


def test_external_entities_are_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rates><date>16.11.2023</date><item><title>&x;</title></item></rates>"
    )
    with pytest.raises(RatesFeedError, match="unsafe XML"):
        parse_rates(xxe)


def test_an_empty_day_is_a_document_with_no_rates() -> None:
    document = parse_rates(b"<rates><date>18.11.2023</date></rates>")
    assert document.rates == [] and document.on_date == date(2023, 11, 18)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes_give_a_document_or_the_named_error(data: bytes) -> None:
    try:
        assert isinstance(parse_rates(data), RatesDocument)
    except RatesFeedError:
        pass


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from([RATES_ALL, GET_RATES]),
    st.integers(min_value=0, max_value=1500),
    st.integers(min_value=0, max_value=40),
    st.binary(max_size=40),
)
def test_fuzz_mutated_real_documents(
    document: bytes, at: int, cut: int, insert: bytes
) -> None:
    at = min(at, len(document))
    mutated = document[:at] + insert + document[at + cut :]
    try:
        parsed = parse_rates(mutated)
    except RatesFeedError:
        return
    for rate in parsed.rates:
        assert rate.value > 0 and rate.quant >= 1 and len(rate.currency) == 3
