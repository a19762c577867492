"""The site's own address in one place: AQPARAT_BASE_URL (issue 17, item 2)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.models import Site

from aqparat.core.address import SiteAddress, check_site_address, site_address
from aqparat.news.tests.factories import ArticlePageFactory, newsroom_build, publish


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8000", SiteAddress("127.0.0.1", 8000)),
        ("http://news.example.kz/", SiteAddress("news.example.kz", 80)),
        ("https://news.example.kz", SiteAddress("news.example.kz", 443)),
        ("https://news.example.kz:443/", SiteAddress("news.example.kz", 443)),
        (" HTTP://News.Example.KZ:8080 ", SiteAddress("news.example.kz", 8080)),
    ],
)
def test_a_base_url_gives_the_site_its_host_and_port(
    base_url: str, expected: SiteAddress
) -> None:
    assert site_address(base_url) == expected


@pytest.mark.parametrize(
    ("base_url", "says"),
    [
        ("news.example.kz", "not an http"),
        ("ftp://news.example.kz", "not an http"),
        ("https://news.example.kz:8443", "only for port 443"),
        ("http://news.example.kz:443", "printed as https"),
        ("https://news.example.kz/kk/", "path or query"),
        ("https://news.example.kz/?a=1", "path or query"),
        ("https://editor:secret@news.example.kz", "names a user"),
        ("http://news.example.kz:99999", "out of range"),
    ],
)
def test_an_address_wagtail_cannot_print_is_refused_with_the_reason(
    base_url: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        site_address(base_url)


class SiteAddressCommandTests(TestCase):
    def setUp(self) -> None:
        self.newsroom = newsroom_build()  # the site at localhost, port 80
        self.story = publish(ArticlePageFactory(parent=self.newsroom.section))

    @override_settings(AQPARAT_BASE_URL="https://news.example.kz")
    def test_the_command_moves_every_absolute_link_to_the_base_url(self) -> None:
        before = self.client.get(self.story.url).content.decode()
        self.assertIn(f'href="http://localhost{self.story.url}"', before)
        out = StringIO()
        call_command("site_address", stdout=out)
        self.assertIn("https://news.example.kz", out.getvalue())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("news.example.kz", 443))
        # The cached site is retired at once: the next page prints the new address.
        after = self.client.get(self.story.url).content.decode()
        self.assertIn(
            f'<link rel="canonical" href="https://news.example.kz{self.story.url}">',
            after,
        )
        self.assertNotIn("http://localhost", after)
        feed = self.client.get("/en/rss/").content.decode()
        self.assertIn(f"https://news.example.kz{self.story.url}", feed)

    def test_the_command_takes_an_address_of_its_own_and_refuses_a_bad_one(
        self,
    ) -> None:
        call_command(
            "site_address", "--base-url", "http://127.0.0.1:8123", stdout=StringIO()
        )
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(site.root_url, "http://127.0.0.1:8123")
        with self.assertRaisesMessage(CommandError, "only for port 443"):
            call_command("site_address", "--base-url", "https://127.0.0.1:8443")
        site.refresh_from_db()
        self.assertEqual(site.root_url, "http://127.0.0.1:8123")  # unchanged

    @override_settings(AQPARAT_BASE_URL="https://news.example.kz")
    def test_the_deploy_check_warns_until_the_site_has_the_address(self) -> None:
        found = check_site_address()
        self.assertEqual([message.id for message in found], ["aqparat.W010"])
        self.assertIn("http://localhost", found[0].msg)
        deploy = checks.run_checks(include_deployment_checks=True)
        self.assertIn("aqparat.W010", [message.id for message in deploy])
        call_command("site_address", stdout=StringIO())
        self.assertEqual(check_site_address(), [])
        deploy = checks.run_checks(include_deployment_checks=True)
        self.assertNotIn("aqparat.W010", [message.id for message in deploy])

    @override_settings(AQPARAT_BASE_URL="https://news.example.kz:8443")
    def test_the_deploy_check_refuses_an_address_wagtail_cannot_print(self) -> None:
        found = check_site_address()
        self.assertEqual([message.id for message in found], ["aqparat.E010"])
        self.assertEqual(found[0].level, checks.ERROR)
