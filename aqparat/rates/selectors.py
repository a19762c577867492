"""Reads of stored National Bank rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest

from aqparat.core.cache import generation as cache_generation
from aqparat.core.cache import generation_key
from aqparat.core.selectors import site_settings_for_request
from aqparat.rates.models import ExchangeRate

TICKER_CACHE_KEY = "rates:ticker:v1"
TICKER_CACHE_SECONDS = 600
_MISSING = object()


@dataclass(frozen=True)
class RateLine:
    currency: str
    quant: int
    value: Decimal  # tenge per quant, as published
    per_unit: Decimal
    change: Decimal  # per quant, as published
    index: str

    @property
    def change_per_unit(self) -> Decimal:
        return self.change / self.quant


@dataclass(frozen=True)
class RatesDay:
    """The rates the National Bank set for one day, with when we stored them."""

    on_date: date
    stored_at: datetime
    rates: tuple[RateLine, ...]

    def rate(self, currency: str) -> RateLine | None:
        return next((r for r in self.rates if r.currency == currency), None)


def rates_newest_date(*, currencies: tuple[str, ...] | None = None) -> date | None:
    """The newest day with stored rates (of `currencies`, when given)."""
    rows = ExchangeRate.objects.all()
    if currencies is not None:
        rows = rows.filter(currency__in=currencies)
    newest: date | None = rows.aggregate(on_date=Max("on_date"))["on_date"]
    return newest


def _rates_day(*, currencies: tuple[str, ...] | None = None) -> RatesDay | None:
    """The newest day's rates: every currency, or `currencies` in that order."""
    newest = rates_newest_date(currencies=currencies)
    if newest is None:
        return None
    rows = ExchangeRate.objects.filter(on_date=newest).order_by("currency")
    if currencies is not None:
        rows = rows.filter(currency__in=currencies)
    by_code = {row.currency: row for row in rows}
    order = currencies if currencies is not None else tuple(by_code)
    return RatesDay(
        on_date=newest,
        stored_at=max(row.fetched_at for row in by_code.values()),
        rates=tuple(
            RateLine(r.currency, r.quant, r.value, r.per_unit, r.change, r.index)
            for r in (by_code[code] for code in order if code in by_code)
        ),
    )


TICKER_GENERATION_KEY = generation_key("rates:ticker:generation")


def ticker_cache_key(currencies: tuple[str, ...]) -> str:
    """Keyed by a generation that storing rates moves on, so one write retires the
    cached ticker of every currency choice at once."""
    generation = cache_generation(TICKER_GENERATION_KEY)
    return f"{TICKER_CACHE_KEY}:{generation}:{','.join(currencies)}"


def ticker_page_keys(request: HttpRequest, page: Any) -> list[str]:
    """Every page shows the ticker of its site's currencies: its key, which
    routing asks for with the page's other reads (core.routing.page_keys)."""
    return [ticker_cache_key(site_settings_for_request(request=request).ticker_codes)]


def rates_for_ticker(*, currencies: tuple[str, ...]) -> RatesDay | None:
    """The newest stored rates of `currencies`, with the date they apply to.

    Read through the cache: a warm ticker costs no query. Storing rates clears it.
    """
    key = ticker_cache_key(currencies)
    cached = cache.get(key, _MISSING)
    if cached is not _MISSING:
        return cached
    ticker = _rates_day(currencies=currencies)
    cache.set(key, ticker, TICKER_CACHE_SECONDS)  # "no rates yet" is cached too
    return ticker


def rates_table() -> RatesDay | None:
    """Every currency of the newest day the National Bank published."""
    return _rates_day()


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 160, 8


@dataclass(frozen=True)
class RateChart:
    """One currency's last days as an SVG polyline, with the figures a screen reader
    and a reader without the picture need."""

    currency: str
    first_day: date
    last_day: date
    first: Decimal
    last: Decimal
    low: Decimal
    high: Decimal
    points: str  # "x,y x,y ..." in a CHART_WIDTH x CHART_HEIGHT box
    days: int


def rates_history(*, currencies: tuple[str, ...], days: int = 90) -> list[RateChart]:
    """Charts of tenge per unit for `currencies` over the last `days` stored days."""
    newest = rates_newest_date()
    if newest is None:
        return []
    since = newest - timedelta(days=days - 1)
    series: dict[str, list[tuple[date, Decimal]]] = {code: [] for code in currencies}
    for row in ExchangeRate.objects.filter(
        currency__in=currencies, on_date__gte=since
    ).order_by("on_date"):
        series[row.currency].append((row.on_date, row.per_unit))
    return [
        _chart(code, points, since, newest) for code, points in series.items() if points
    ]


def _chart(
    code: str, points: list[tuple[date, Decimal]], since: date, newest: date
) -> RateChart:
    values = [value for _day, value in points]
    low, high = min(values), max(values)
    span_days = max((newest - since).days, 1)
    span_value = (high - low) or Decimal(1)
    usable_w, usable_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
    coords = [
        (
            CHART_PAD + usable_w * (day - since).days / span_days,
            CHART_PAD + usable_h * float((high - value) / span_value),
        )
        for day, value in points
    ]
    return RateChart(
        currency=code,
        first_day=points[0][0],
        last_day=points[-1][0],
        first=values[0].quantize(Decimal("0.01")),
        last=values[-1].quantize(Decimal("0.01")),
        low=low.quantize(Decimal("0.01")),
        high=high.quantize(Decimal("0.01")),
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        days=len(points),
    )


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: str
    to_tenge: bool
    result: Decimal


def rates_convert(
    *, amount: Decimal, currency: str, to_tenge: bool, table: RatesDay
) -> Conversion | None:
    """Tenge to a currency or back, at the newest official rate."""
    line = table.rate(currency)
    if line is None:
        return None
    result = amount * line.per_unit if to_tenge else amount / line.per_unit
    return Conversion(amount, currency, to_tenge, result.quantize(Decimal("0.01")))
