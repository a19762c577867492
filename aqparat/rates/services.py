"""Writes of National Bank rates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from aqparat.rates.models import ExchangeRate
from aqparat.rates.selectors import ticker_cache_key


@dataclass(frozen=True)
class RateRow:
    currency: str
    on_date: date
    value: Decimal
    quant: int
    change: Decimal
    index: str


def rates_store(*, rows: Iterable[RateRow]) -> int:
    """Insert or update rates by (currency, date); idempotent. Returns rows written."""
    written = 0
    with transaction.atomic():
        for row in rows:
            ExchangeRate.objects.update_or_create(
                currency=row.currency,
                on_date=row.on_date,
                defaults={
                    "value": row.value,
                    "quant": row.quant,
                    "change": row.change,
                    "index": row.index,
                },
            )
            written += 1
    transaction.on_commit(rates_ticker_cache_clear)
    return written


def rates_ticker_cache_clear() -> None:
    cache.delete(ticker_cache_key(tuple(settings.AQPARAT_TICKER_CURRENCIES)))
