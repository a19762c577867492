"""Fetching through the real client from the local fake National Bank, good and bad."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aqparat.rates.client import HttpRatesClient
from aqparat.rates.fake_server import FakeNationalBank
from aqparat.rates.models import ExchangeRate
from aqparat.rates.selectors import rates_for_ticker
from aqparat.rates.services import rates_are_stale, rates_fetch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEWEST = date(2023, 11, 16)
TICKER = ("USD", "EUR", "RUB")


@pytest.fixture
def bank() -> Iterator[FakeNationalBank]:
    server = FakeNationalBank(newest=NEWEST).start()
    server.stall_seconds = 3
    yield server
    server.stop()


@pytest.fixture
def client(bank: FakeNationalBank) -> HttpRatesClient:
    return HttpRatesClient(
        base_url=bank.base_url, timeout=1, deadline=5, max_bytes=256 * 1024
    )


def stored() -> dict[str, Decimal]:
    return dict(ExchangeRate.objects.values_list("currency", "value"))


def test_latest_rates_arrive_through_the_client(client: HttpRatesClient) -> None:
    outcome = rates_fetch(client=client)
    assert outcome.ok and outcome.on_date == NEWEST
    rates = stored()
    assert (rates["USD"], rates["EUR"], rates["RUB"]) == (
        Decimal("498.51"), Decimal("522.84"), Decimal("4.81"),
    )  # fmt: skip
    assert "LVL" not in rates
    ticker = rates_for_ticker(currencies=TICKER)
    assert ticker is not None and ticker.on_date == NEWEST


def test_fetching_twice_changes_nothing(client: HttpRatesClient) -> None:
    rates_fetch(client=client)
    again = rates_fetch(client=client)
    assert again.written == 0 and again.unchanged == ExchangeRate.objects.count()


def test_backfill_stores_older_days(client: HttpRatesClient) -> None:
    rates_fetch(client=client)
    outcome = rates_fetch(on_date=NEWEST - timedelta(days=3), client=client)
    assert outcome.ok and outcome.written > 0
    assert ExchangeRate.objects.filter(on_date=NEWEST - timedelta(days=3)).count() == 11


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("stall", "timed out"),
        ("error500", "HTTP 500"),
        ("html", "HTML page instead"),
        ("truncated", "malformed or truncated"),
        ("entity_bomb", "unsafe XML"),
        ("external_entity", "unsafe XML"),
        ("huge", "more than"),
        ("redirect_offsite", "redirect to another host"),
    ],
)
def test_a_bad_feed_keeps_the_good_rates_and_logs_once(
    mode: str,
    message: str,
    bank: FakeNationalBank,
    client: HttpRatesClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    rates_fetch(client=client)
    before = stored()
    rates_for_ticker(currencies=TICKER)  # warm, as on a live site
    bank.mode = mode
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="aqparat.rates.services"):
        outcome = rates_fetch(client=client)
    assert not outcome.ok and message in outcome.error
    assert stored() == before
    assert [r.getMessage() for r in caplog.records] == [
        f"National Bank rates not updated: {outcome.error}"
    ]
    with CaptureQueriesContext(connection) as queries:
        ticker = rates_for_ticker(currencies=TICKER)
    assert ticker is not None and ticker.on_date == NEWEST and len(queries) == 0


def test_server_down_keeps_the_good_rates(
    bank: FakeNationalBank, client: HttpRatesClient
) -> None:
    rates_fetch(client=client)
    bank.stop()
    outcome = rates_fetch(client=client)
    assert "could not be reached" in outcome.error
    assert stored()["USD"] == Decimal("498.51")


def test_a_bad_item_spoils_only_itself(
    bank: FakeNationalBank, client: HttpRatesClient
) -> None:
    bank.mode = "comma_decimal"
    outcome = rates_fetch(client=client)
    assert outcome.ok and any("USD" in p for p in outcome.problems)
    assert "USD" not in stored() and stored()["EUR"] == Decimal("522.84")


def test_an_empty_day_stores_nothing_and_keeps_the_rest(
    bank: FakeNationalBank, client: HttpRatesClient
) -> None:
    rates_fetch(on_date=NEWEST - timedelta(days=1), client=client)
    bank.mode = "empty_day"
    outcome = rates_fetch(client=client)
    assert outcome.ok and outcome.written == 0
    assert ExchangeRate.objects.filter(on_date=NEWEST - timedelta(days=1)).count() == 11


def test_a_document_older_than_what_is_stored_is_refused(
    client: HttpRatesClient,
) -> None:
    ExchangeRate.objects.create(currency="USD", on_date=NEWEST + timedelta(days=1),
                                value=Decimal("500"), quant=1)  # fmt: skip
    outcome = rates_fetch(client=client)
    assert "older than the stored rates" in outcome.error
    assert ExchangeRate.objects.count() == 1


def test_staleness() -> None:
    assert rates_are_stale(today=NEWEST)
    ExchangeRate.objects.create(
        currency="USD", on_date=NEWEST, value=Decimal("1"), quant=1
    )
    assert not rates_are_stale(today=NEWEST + timedelta(days=1))
    assert rates_are_stale(today=NEWEST + timedelta(days=3))
