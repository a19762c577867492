"""Kazakh date and number formats (Django ships none and would fall back to US ones)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils import formats, translation

from aqparat.core.templatetags.core_tags import (
    local_datetime,
    medium_date,
    number,
)


def test_kazakh_formats_come_from_our_format_module() -> None:
    with translation.override("kk"):
        assert (
            formats.date_format(date(2023, 11, 16), "SHORT_DATE_FORMAT") == "16.11.2023"
        )
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    with translation.override("kk-latn"):
        assert (
            formats.date_format(date(2023, 11, 16), "SHORT_DATE_FORMAT") == "16.11.2023"
        )


def test_numbers_and_dates_per_language() -> None:
    expected = {
        "kk": ("1\xa0098", "2023\u202fж. 16 қар."),  # CLDR: narrow no-break space
        "ru": ("1\xa0098", "16 нояб. 2023\u202fг."),
        "en": ("1,098", "Nov 16, 2023"),
    }
    for language, (views, day) in expected.items():
        with translation.override(language):
            assert number(1098) == views
            assert medium_date(date(2023, 11, 16)) == day


def test_local_datetime_prints_what_djangos_date_filter_printed() -> None:
    """The listings' day and time in Almaty time, whichever offset applied then
    (UTC+6 before 1 March 2024, UTC+5 after), in every language; nothing for no
    date."""
    moments = [
        datetime(2023, 11, 16, 3, 58, tzinfo=UTC),  # 09:58 at UTC+6
        datetime(2024, 3, 1, 19, 5, tzinfo=UTC),  # 00:05 at UTC+5, the next day
        datetime(2026, 12, 31, 23, 59, 59, 999, tzinfo=UTC),
    ]
    django_date = Template('{{ moment|date:"d.m.Y H:i" }}')
    for language in ("kk", "kk-latn", "ru", "en"):
        with translation.override(language):
            for moment in moments:
                printed = django_date.render(Context({"moment": moment}))
                assert local_datetime(moment) == printed
    assert local_datetime(moments[0]) == "16.11.2023 09:58"
    assert local_datetime(moments[1]) == "02.03.2024 00:05"
    assert local_datetime(None) == ""
