"""The ticker reads the newest stored rates, through the cache."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aqparat.rates.selectors import rates_for_ticker
from aqparat.rates.services import RateRow, rates_store

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TICKER = ("USD", "EUR", "RUB")


def store(on_date: date, **values: str) -> None:
    rates_store(
        rows=[
            RateRow(code, on_date, Decimal(value), 1, Decimal("0.5"), "UP")
            for code, value in values.items()
        ]
    )


def test_no_rates_yet_gives_no_ticker() -> None:
    assert rates_for_ticker(currencies=TICKER) is None


def test_newest_date_wins_and_order_follows_settings() -> None:
    store(date(2023, 11, 15), USD="497.39", EUR="520.00", RUB="4.80")
    store(date(2023, 11, 16), RUB="4.81", USD="498.51", EUR="522.84")
    ticker = rates_for_ticker(currencies=TICKER)
    assert ticker is not None
    assert ticker.on_date == date(2023, 11, 16)
    assert [(r.currency, r.per_unit) for r in ticker.rates] == [
        ("USD", Decimal("498.51")),
        ("EUR", Decimal("522.84")),
        ("RUB", Decimal("4.81")),
    ]


def test_quant_is_divided_out() -> None:
    rates_store(
        rows=[
            RateRow("USD", date(2024, 4, 24), Decimal("1108.79"), 100, Decimal("3"), "")
        ]
    )
    ticker = rates_for_ticker(currencies=("USD",))
    assert ticker is not None
    assert ticker.rates[0].per_unit == Decimal("11.0879")
    assert ticker.rates[0].change_per_unit == Decimal("0.03")


def test_warm_ticker_costs_no_query_and_storing_refreshes_it() -> None:
    store(date(2023, 11, 16), USD="498.51")
    rates_for_ticker(currencies=TICKER)
    with CaptureQueriesContext(connection) as queries:
        ticker = rates_for_ticker(currencies=TICKER)
    assert len(queries) == 0
    assert ticker is not None
    store(date(2023, 11, 17), USD="499.00")
    fresh = rates_for_ticker(currencies=TICKER)
    assert fresh is not None
    assert fresh.on_date == date(2023, 11, 17)


def test_storing_the_same_day_again_updates_in_place() -> None:
    store(date(2023, 11, 16), USD="498.51")
    store(date(2023, 11, 16), USD="498.60")
    ticker = rates_for_ticker(currencies=("USD",))
    assert ticker is not None
    assert ticker.rates[0].per_unit == Decimal("498.60")
