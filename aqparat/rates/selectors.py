"""Reads of stored National Bank rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max

from aqparat.rates.models import ExchangeRate

TICKER_CACHE_KEY = "rates:ticker:v1"
TICKER_CACHE_SECONDS = 600
_MISSING = object()


@dataclass(frozen=True)
class TickerRate:
    currency: str
    per_unit: Decimal
    change: Decimal
    index: str


@dataclass(frozen=True)
class Ticker:
    on_date: date
    stored_at: datetime
    rates: tuple[TickerRate, ...]


def _ticker_from_db(*, currencies: tuple[str, ...]) -> Ticker | None:
    newest = ExchangeRate.objects.filter(currency__in=currencies).aggregate(
        on_date=Max("on_date")
    )["on_date"]
    if newest is None:
        return None
    rows = {
        row.currency: row
        for row in ExchangeRate.objects.filter(currency__in=currencies, on_date=newest)
    }
    return Ticker(
        on_date=newest,
        stored_at=max(row.fetched_at for row in rows.values()),
        rates=tuple(
            TickerRate(
                currency=code,
                per_unit=rows[code].per_unit,
                change=rows[code].change / rows[code].quant,
                index=rows[code].index,
            )
            for code in currencies
            if code in rows
        ),
    )


TICKER_GENERATION_KEY = "rates:ticker:generation"


def ticker_cache_key(currencies: tuple[str, ...]) -> str:
    """Keyed by a generation that storing rates moves on, so one write retires the
    cached ticker of every currency choice at once."""
    generation = cache.get_or_set(TICKER_GENERATION_KEY, 1, None)
    return f"{TICKER_CACHE_KEY}:{generation}:{','.join(currencies)}"


def rates_for_ticker(*, currencies: tuple[str, ...]) -> Ticker | None:
    """The newest stored rates of `currencies`, with the date they apply to.

    Read through the cache: a warm ticker costs no query. Storing rates clears it.
    """
    key = ticker_cache_key(currencies)
    cached = cache.get(key, _MISSING)
    if cached is not _MISSING:
        return cached
    ticker = _ticker_from_db(currencies=currencies)
    cache.set(key, ticker, TICKER_CACHE_SECONDS)  # "no rates yet" is cached too
    return ticker
