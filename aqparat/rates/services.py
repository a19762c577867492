"""Writes of National Bank rates: fetching, validating and storing them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from aqparat.core.cache import generation_next
from aqparat.core.pagecache import ALL, retire
from aqparat.rates.client import RatesClient, get_rates_client
from aqparat.rates.exceptions import RatesFeedError
from aqparat.rates.models import ExchangeRate
from aqparat.rates.parser import RatesDocument, parse_rates
from aqparat.rates.selectors import TICKER_GENERATION_KEY, rates_newest_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateRow:
    currency: str
    on_date: date
    value: Decimal
    quant: int
    change: Decimal
    index: str


@dataclass
class FetchOutcome:
    """What one fetch did: rows written, the date they apply to, or why nothing."""

    on_date: date | None = None
    written: int = 0
    unchanged: int = 0
    error: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


def rates_store(*, rows: Iterable[RateRow]) -> int:
    """Insert or update rates by (currency, day); idempotent. Returns rows changed."""
    written = 0
    with transaction.atomic():
        for row in rows:
            values = {"value": row.value, "quant": row.quant, "change": row.change,
                      "index": row.index}  # fmt: skip
            current = ExchangeRate.objects.filter(
                currency=row.currency, on_date=row.on_date
            )
            existing = current.values("value", "quant", "change", "index").first()
            if existing == values:
                continue
            ExchangeRate.objects.update_or_create(
                currency=row.currency, on_date=row.on_date, defaults=values
            )
            written += 1
    transaction.on_commit(rates_ticker_cache_clear)
    return written


def rates_ticker_cache_clear() -> None:
    generation_next(TICKER_GENERATION_KEY)
    retire(ALL)  # every page prints the ticker


def rates_fetch(
    *, on_date: date | None = None, client: RatesClient | None = None
) -> FetchOutcome:
    """Fetch the newest official rates (or those of `on_date`) and store them.

    Nothing stored is touched unless a whole document arrived and parsed: a timeout,
    an error page, hostile or broken XML, or a document older than what is stored
    leaves the last good rates in place, and is logged once with the reason.
    """
    client = client or get_rates_client()
    try:
        data = client.fetch_for_date(on_date) if on_date else client.fetch_latest()
        document = parse_rates(data)
        _check_not_older(document, explicit_date=on_date is not None)
    except RatesFeedError as error:
        logger.warning("National Bank rates not updated: %s", error)
        return FetchOutcome(on_date=on_date, error=str(error))
    if document.problems:
        logger.warning(
            "National Bank rates for %s: skipped %d bad item(s): %s",
            document.on_date, len(document.problems), "; ".join(document.problems),
        )  # fmt: skip
    rows = [RateRow(r.currency, document.on_date, r.value, r.quant, r.change, r.index)
            for r in document.rates]  # fmt: skip
    written = rates_store(rows=rows)
    return FetchOutcome(
        document.on_date, written, len(rows) - written, "", document.problems
    )


def _check_not_older(document: RatesDocument, *, explicit_date: bool) -> None:
    if explicit_date:
        return  # back-filling history is allowed to store older days
    newest = rates_newest_date()
    if newest is not None and document.on_date < newest:
        raise RatesFeedError(
            f"the feed's rates for {document.on_date:%d.%m.%Y} are older than the "
            f"stored rates for {newest:%d.%m.%Y}; kept the stored ones"
        )


def rates_are_stale(*, today: date) -> bool:
    """True when the newest stored rates are older than yesterday, or missing."""
    newest = rates_newest_date()
    return newest is None or (today - newest).days > 1
