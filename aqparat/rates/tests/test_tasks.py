"""The schedule, the start-up fetch and the fetch_rates command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from aqparat.rates.fake_server import FakeNationalBank
from aqparat.rates.models import ExchangeRate
from aqparat.rates.tasks import fetch_rates_if_old, fetch_rates_on_schedule

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEWEST = date(2023, 11, 16)


@pytest.fixture
def bank() -> Iterator[FakeNationalBank]:
    server = FakeNationalBank(newest=NEWEST).start()
    with override_settings(AQPARAT_NBK_BASE_URL=server.base_url, AQPARAT_NBK_TIMEOUT=2):
        yield server
    server.stop()


def due(hour: int, minute: int) -> bool:
    moment = datetime(2026, 3, 2, hour, minute)  # noqa: DTZ001 - huey ticks in naive UTC
    names = {type(task).__name__ for task in HUEY.read_periodic(moment)}
    return type(fetch_rates_on_schedule.s()).__name__ in names


def test_polls_evening_and_morning_almaty_time() -> None:
    # 17:30 and 19:30 Almaty (UTC+5) for tomorrow's rate; 07:30 and 09:30 to confirm it.
    assert [due(h, 30) for h in (12, 14, 2, 4)] == [True, True, True, True]
    assert not due(12, 0) and not due(10, 30)


def test_start_up_fetches_when_the_rates_are_old(bank: FakeNationalBank) -> None:
    fetch_rates_if_old()
    assert ExchangeRate.objects.filter(on_date=NEWEST).count() == 11
    assert bank.requests == ["/rss/rates_all.xml"]


def test_command_fetches_latest_and_backfills_a_range(bank: FakeNationalBank) -> None:
    out = StringIO()
    call_command("fetch_rates", stdout=out)
    call_command(
        "fetch_rates", "--date", "2023-11-10", "--to", "12.11.2023", stdout=out
    )
    assert "16.11.2023: 11 stored" in out.getvalue()
    assert (
        ExchangeRate.objects.filter(on_date__range=("2023-11-10", "2023-11-12")).count()
        == 33
    )
    assert bank.requests[-1] == "/rss/get_rates.cfm?fdate=12.11.2023"


def test_command_fails_loudly_when_nothing_could_be_fetched(
    bank: FakeNationalBank,
) -> None:
    bank.mode = "error500"
    err = StringIO()
    with pytest.raises(CommandError, match="stored rates are unchanged"):
        call_command("fetch_rates", stderr=err)
    assert "HTTP 500" in err.getvalue()


def test_command_rejects_bad_dates() -> None:
    with pytest.raises(CommandError):
        call_command("fetch_rates", "--date", "yesterday")
    with pytest.raises(CommandError):
        call_command("fetch_rates", "--to", "2023-11-10")
