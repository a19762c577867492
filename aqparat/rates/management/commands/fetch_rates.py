from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aqparat.rates.services import rates_fetch


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CommandError(f"not a date: {text!r} (use YYYY-MM-DD or DD.MM.YYYY)")


class Command(BaseCommand):
    help = (
        "Fetch the National Bank's official rates now; --date (and --to) back-fill "
        "the rates of a day or a range of days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_day, help="a day to fetch")
        parser.add_argument(
            "--to", type=_day, help="with --date: the last day of a range"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = options["date"], options["to"]
        if last and not first:
            raise CommandError("--to needs --date")
        days = [None] if first is None else _range(first, last or first)
        failed = 0
        for day in days:
            outcome = rates_fetch(on_date=day)
            label = f"{outcome.on_date:%d.%m.%Y}" if outcome.on_date else "latest"
            if outcome.ok:
                self.stdout.write(
                    f"{label}: {outcome.written} stored, {outcome.unchanged} unchanged"
                )
            else:
                failed += 1
                self.stderr.write(f"{label}: {outcome.error}")
        if failed == len(days):
            raise CommandError(
                "no rates could be fetched; the stored rates are unchanged"
            )


def _range(first: date, last: date) -> list[date | None]:
    if last < first:
        raise CommandError("--to is before --date")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
