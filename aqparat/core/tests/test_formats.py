"""Kazakh date and number formats (Django ships none and would fall back to US ones)."""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation

from aqparat.core.templatetags.core_tags import medium_date, number


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
