"""The rates page and the header ticker."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

from aqparat.core.models import SiteSettings
from aqparat.news.tests.factories import newsroom_build
from aqparat.rates.forms import ConverterForm
from aqparat.rates.services import RateRow, rates_store

DAY = date(2023, 11, 16)


def history(days: int = 90) -> None:
    rows = []
    for n in range(days):
        day = DAY - timedelta(days=n)
        rows += [
            RateRow("USD", day, Decimal("498.51") - n, 1, Decimal("1.12"), "UP"),
            RateRow("EUR", day, Decimal("522.84") - n, 1, Decimal("-0.47"), "DOWN"),
            RateRow("RUB", day, Decimal("4.81"), 1, Decimal("0"), ""),
            RateRow("UZS", day, Decimal("4.06"), 100, Decimal("0"), ""),
        ]
    rates_store(rows=rows)


class RatesPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        newsroom_build()
        history()

    def test_lists_every_currency_per_unit_and_per_quant(self) -> None:
        response = self.client.get("/en/rates/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Nov 16, 2023", html)
        self.assertRegex(
            html,
            r"<th scope=\"row\">UZS</th>\s*<td>100</td>\s*"
            r"<td>4.06</td>\s*<td>0.041</td>",
        )
        self.assertIn("▲ +1.12", html)
        self.assertIn("▼ -0.47", html)

    def test_charts_of_the_ticker_currencies_over_90_days(self) -> None:
        html = self.client.get("/en/rates/").content.decode()
        self.assertEqual(html.count("<polyline"), 3)
        self.assertIn(
            "USD went from 409.51 on Aug 19, 2023 to 498.51 on Nov 16, 2023", html
        )
        self.assertIn('role="img"', html)

    def test_converter_works_both_ways_without_javascript(self) -> None:
        to_kzt = self.client.get(
            "/en/rates/", {"amount": "100", "currency": "USD", "direction": "to_kzt"}
        )
        self.assertContains(to_kzt, "100 USD = 49,851 KZT")
        back = self.client.get(
            "/ru/rates/",
            {"amount": "49851", "currency": "USD", "direction": "from_kzt"},
        )
        self.assertContains(back, "49\xa0851 KZT = 100 USD")

    def test_the_converter_opens_on_the_tickers_first_currency(self) -> None:
        html = self.client.get("/en/rates/").content.decode()
        self.assertRegex(html, r'<option value="USD" selected>USD</option>')
        self.assertNotRegex(html, r'<option value="UZS" selected')

    def test_the_converter_reads_either_decimal_mark(self) -> None:
        typed = {
            "100,5": "100.5", "100.5": "100.5", "1 000,50": "1000.50",
            "1\xa0000,5": "1000.5", "1,000.50": "1000.50", "1.000,50": "1000.50",
            "1,000": "1000", "1.000": "1000", "12": "12", " 7,25 ": "7.25",
        }  # fmt: skip
        field = ConverterForm(currencies=["USD"]).fields["amount"]
        for text, amount in typed.items():
            with self.subTest(text=text):
                self.assertEqual(field.clean(text), Decimal(amount))
        for language in ("kk", "ru", "en"):
            response = self.client.get(
                f"/{language}/rates/",
                {"amount": "100,5", "currency": "USD", "direction": "to_kzt"},
            )
            self.assertEqual(
                response.context["conversion"].result, Decimal("50100.26"), language
            )

    def test_bad_converter_input_is_a_form_error_not_a_500(self) -> None:
        bad = [
            {"amount": "abc", "currency": "USD", "direction": "to_kzt"},
            {"amount": "1", "currency": "XXX", "direction": "to_kzt"},
            {"amount": "-5", "currency": "USD", "direction": "to_kzt"},
            {"amount": "9" * 40, "currency": "USD", "direction": "sideways"},
        ]
        for params in bad:
            response = self.client.get("/en/rates/", params)
            self.assertEqual(response.status_code, 200, params)
            self.assertNotContains(response, "converter__result")

    def test_labels_follow_the_language(self) -> None:
        self.assertContains(self.client.get("/ru/rates/"), "Конвертер")
        self.assertContains(self.client.get("/kk-latn/rates/"), "Konverter")

    def test_a_date_ending_in_a_period_ends_its_sentence(self) -> None:
        """Russian dates end in "г." ("4 дек. 2026 г."): no sentence around one
        doubles the period."""
        for path in ("/ru/rates/", "/kk/rates/", "/en/rates/"):
            text = self.client.get(path).content.decode()
            self.assertNotRegex(text, r"\w\.\.(?!\.)", path)

    def test_link_previews_name_the_rates_page_and_its_canonical_address(self) -> None:
        with translation.override("en"):
            response = self.client.get("/en/rates/")
        self.assertContains(
            response, '<meta property="og:title" content="Official exchange rates">'
        )
        self.assertContains(
            response, '<link rel="canonical" href="http://localhost/en/rates/">'
        )


class EmptyRatesPageTests(TestCase):
    def test_no_rates_yet(self) -> None:
        newsroom_build()
        self.assertContains(
            self.client.get("/en/rates/"), "No official rates have been received yet."
        )


class TickerTagTests(TestCase):
    site: Site

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site = newsroom_build().home.get_site()
        history(days=2)

    def render(self) -> str:
        request = RequestFactory().get("/en/")
        return Template("{% load rates_tags %}{% rates_ticker %}").render(
            Context({"request": request})
        )

    def test_ticker_shows_the_settings_currencies_in_order_with_the_date(self) -> None:
        SiteSettings.objects.create(site=self.site, ticker_currencies="EUR, usd")
        html = self.render()
        self.assertLess(html.index("EUR"), html.index("USD"))
        self.assertNotIn("RUB", html)
        self.assertIn('datetime="2023-11-16"', html)

    def test_a_warm_ticker_costs_no_query(self) -> None:
        self.render()
        with CaptureQueriesContext(connection) as queries:
            html = self.render()
        self.assertIn("498.51", html)
        self.assertEqual(len(queries), 0, [q["sql"] for q in queries])
