from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Site

from aqparat.core.address import site_address_apply


class Command(BaseCommand):
    help = (
        "Give the default site the public address AQPARAT_BASE_URL (or --base-url): "
        "every absolute link in pages, feeds and sitemaps is made from it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", help="instead of AQPARAT_BASE_URL")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            site = site_address_apply(options["base_url"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        except Site.DoesNotExist:
            raise CommandError(
                "There is no default site yet: create the site (or load the demo) "
                "first."
            ) from None
        self.stdout.write(f"The site's address: {site.root_url}")
