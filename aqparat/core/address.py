"""The site's own address in one place: the setting AQPARAT_BASE_URL.

Every absolute URL we print (canonical and hreflang links, OpenGraph, JSON-LD, RSS,
sitemaps, robots.txt, the admin's links in notifications) is made by Wagtail from
its default Site record (hostname and port) or from WAGTAILADMIN_BASE_URL. Both come
from AQPARAT_BASE_URL: the setting directly, the Site by `manage.py site_address`
(which `make run`, the demo loader and a deployment's release step run), and the
system check below says when the two disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site


@dataclass(frozen=True)
class SiteAddress:
    hostname: str
    port: int


def site_address(base_url: str) -> SiteAddress:
    """The Site hostname and port that make Wagtail print `base_url`; ValueError
    for an address Wagtail cannot print (a path, credentials, HTTPS elsewhere than
    on port 443, which its Site.root_url prints as http://host:port)."""
    parts = urlsplit(base_url.strip())
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"{base_url!r}: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{base_url!r} is not an http:// or https:// address")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(
            f"{base_url!r} has a path or query: the site is served at the root of "
            "its host, so give only the scheme, host and port"
        )
    if parts.username or parts.password:
        raise ValueError(f"{base_url!r} names a user: give only scheme, host, port")
    if parts.scheme == "https":
        if port not in (None, 443):
            raise ValueError(
                f"{base_url!r}: Wagtail prints https:// only for port 443 "
                "(any other port as http://host:port)"
            )
        return SiteAddress(parts.hostname, 443)
    if port == 443:
        raise ValueError(f"{base_url!r}: port 443 is printed as https://")
    return SiteAddress(parts.hostname, port or 80)


def site_address_apply(base_url: str | None = None) -> Site:
    """Give the default Site the address of `base_url` (AQPARAT_BASE_URL when not
    given). Saving it retires every cached copy of the sites (core/apps.py)."""
    address = site_address(base_url or settings.AQPARAT_BASE_URL)
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (address.hostname, address.port):
        site.hostname, site.port = address.hostname, address.port
        site.save()
    return site


def check_site_address(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """`manage.py check --deploy` (registered in core/apps.py): AQPARAT_BASE_URL is
    an address Wagtail can print, and the default Site has it."""
    try:
        address = site_address(settings.AQPARAT_BASE_URL)
    except ValueError as error:
        return [checks.Error(str(error), id="aqparat.E010", obj="AQPARAT_BASE_URL")]
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet: nothing to compare
        return []
    if site is None or (site.hostname, site.port) == (address.hostname, address.port):
        return []
    return [
        checks.Warning(
            f"The default site's address is {site.root_url}, not AQPARAT_BASE_URL "
            f"({settings.AQPARAT_BASE_URL}): feeds, sitemaps, canonical and "
            "OpenGraph links point to the former.",
            hint="Run `manage.py site_address` after migrate.",
            id="aqparat.W010",
        )
    ]
