"""National Bank rates documents -> rows. Pure: bytes in, rows or one named error out.

Two document shapes (shared/reference/nbk-rates.md):
- `rss/rates_all.xml`: <rss><channel><item> with a per-item <pubDate> (DD.MM.YY or
  DD.MM.YYYY); dead currencies linger with old dates, so only items of the newest date
  in the document count;
- `rss/get_rates.cfm?fdate=`: <rates> with one document <date> and <item>s.

Parsing goes through defusedxml with DTDs forbidden, so entity-expansion ("billion
laughs") and external-entity payloads are refused before anything is expanded. A bad
item spoils only itself: it is reported in `problems` and the rest of the document
stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# Types only: the feed is parsed with defusedxml.
from xml.etree.ElementTree import Element, ParseError  # nosec B405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from aqparat.rates.exceptions import RatesFeedError

_CODE = re.compile(r"^[A-Z]{3}$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_INDEXES = {"UP": "UP", "DOWN": "DOWN", "": ""}


@dataclass(frozen=True)
class ParsedRate:
    currency: str
    value: Decimal  # tenge for `quant` units
    quant: int
    change: Decimal
    index: str


@dataclass
class RatesDocument:
    on_date: date
    rates: list[ParsedRate]
    problems: list[str] = field(default_factory=list)


def parse_rates(data: bytes) -> RatesDocument:
    """Parse either document shape; raise RatesFeedError if it is not one at all."""
    root = _root(data)
    if root.tag == "rates":
        on_date = _date(_text(root, "date"), "document date")
        return _document(root.findall("item"), on_date)
    if root.tag == "rss" and root.find("channel") is not None:
        return _rss(root.findall("channel/item"))
    raise RatesFeedError(f"not a National Bank rates document (root <{root.tag}>)")


def _root(data: bytes) -> Element:
    head = data.lstrip()[:100].lower()
    if not head:
        raise RatesFeedError("empty response instead of a rates document")
    if head.startswith((b"<!doctype html", b"<html")):
        raise RatesFeedError("an HTML page instead of a rates document")
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise RatesFeedError(f"refused unsafe XML ({type(error).__name__})") from error
    except ParseError as error:
        raise RatesFeedError(f"malformed or truncated XML: {error}") from error


def _rss(items: list[Element]) -> RatesDocument:
    dated: list[tuple[date, Element]] = []
    problems: list[str] = []
    for item in items:
        try:
            dated.append((_date(_text(item, "pubDate"), "pubDate"), item))
        except RatesFeedError as error:
            problems.append(f"{_text(item, 'title') or '?'}: {error}")
    if not dated:
        raise RatesFeedError("the document has no dated items")
    newest = max(day for day, _item in dated)
    document = _document([item for day, item in dated if day == newest], newest)
    document.problems[:0] = problems
    return document


def _document(items: list[Element], on_date: date) -> RatesDocument:
    document = RatesDocument(on_date=on_date, rates=[])
    seen: set[str] = set()
    for item in items:
        try:
            rate = _rate(item)
        except RatesFeedError as error:
            document.problems.append(f"{_text(item, 'title') or '?'}: {error}")
            continue
        if rate.currency in seen:
            document.problems.append(f"{rate.currency}: listed twice, first kept")
            continue
        seen.add(rate.currency)
        document.rates.append(rate)
    return document


def _rate(item: Element) -> ParsedRate:
    code = _text(item, "title")
    if not _CODE.match(code):
        raise RatesFeedError(f"unknown currency code {code!r}")
    quant = _text(item, "quant") or "1"
    if not quant.isdigit() or int(quant) < 1:
        raise RatesFeedError(f"bad quant {quant!r}")
    value = _decimal(_text(item, "description"), "rate")
    if value <= 0:
        raise RatesFeedError(f"rate must be positive, got {value}")
    index = _text(item, "index").upper()
    if index not in _INDEXES:
        raise RatesFeedError(f"bad index {index!r}")
    change = _decimal(_text(item, "change") or "0", "change")
    return ParsedRate(code, value, int(quant), change, _INDEXES[index])


def _decimal(text: str, what: str) -> Decimal:
    # The feed writes a decimal point and no grouping; a comma means something else
    # produced the document, so it is refused rather than guessed at.
    if not _NUMBER.match(text):
        raise RatesFeedError(f"non-numeric {what} {text!r}")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern rules it out
        raise RatesFeedError(f"non-numeric {what} {text!r}") from error


def _date(text: str, what: str) -> date:
    for pattern in ("%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise RatesFeedError(f"bad {what} {text!r} (expected DD.MM.YYYY)")


def _text(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""
