"""Purging the front cache (nginx, Varnish, a CDN) of the pages a change retired.

The backends are Wagtail's `frontend_cache` ones (`WAGTAILFRONTENDCACHE`: Cloudflare,
CloudFront, Azure, or HTTP PURGE), but we call them ourselves, after the commit and
with the exact URLs the page cache knows (`core.pagecache`): Wagtail's own signal
handlers purge inside the publishing transaction (a reader's refill can then read the
old row) and only the page itself, never its listings.

`HTTPPurgeBackend` is Wagtail's HTTP backend with what a newsroom needs of it: one
kept-alive connection for a whole batch and a deadline per request (Wagtail's calls
`urlopen` without a timeout, so a stuck cache would hold the editor's request).
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 2.0


def front_cache_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def front_cache_purge(urls: Iterable[str]) -> None:
    """Purge `urls` from every configured front cache; failures are logged, never
    raised (the change itself has been made; the copies expire by themselves)."""
    from wagtail.contrib.frontend_cache.utils import get_backends

    batch = sorted(set(urls))
    if not batch:
        return
    for name, backend in get_backends().items():
        mine = [u for u in batch if backend.invalidates_hostname(urlsplit(u).hostname)]
        try:
            backend.purge_batch(mine)
        except Exception:  # a CDN's API down must not fail the editor's publication
            logger.exception("front cache %s: purging %d URLs failed", name, len(mine))


class HTTPPurgeBackend(BaseBackend):
    """`PURGE <LOCATION's path><page's path>` with the page's Host to the cache at
    `LOCATION`: `http://127.0.0.1:8080/_purge` for the shipped nginx site,
    `http://127.0.0.1:6081` for Varnish's usual VCL."""

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        location = urlsplit(params.pop("LOCATION"))
        super().__init__(params)
        if location.scheme not in {"http", "https"} or not location.hostname:
            raise ValueError(f"front cache LOCATION must be an http(s) URL: {location}")
        self.location = location
        self.timeout = float(params.get("TIMEOUT", PURGE_TIMEOUT_SECONDS))

    def _connection(self) -> http.client.HTTPConnection:
        kind = (
            http.client.HTTPSConnection
            if self.location.scheme == "https"
            else http.client.HTTPConnection
        )
        return kind(
            self.location.hostname or "", self.location.port, timeout=self.timeout
        )

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls: Iterable[str]) -> None:
        """Purge `urls` over one connection. A cache that cannot be reached (twice)
        ends the batch: the rest would wait out the same timeout one by one."""
        pending = list(urls)
        connection = self._connection()
        try:
            for done, url in enumerate(pending):
                if not self._purge_one(connection, url):
                    logger.error(
                        "front cache at %s unreachable: %d URLs not purged",
                        self.location.netloc, len(pending) - done,
                    )  # fmt: skip
                    return
        finally:
            connection.close()

    def _purge_one(self, connection: http.client.HTTPConnection, url: str) -> bool:
        parts = urlsplit(url)
        target = self.location.path.rstrip("/") + parts.path
        target += f"?{parts.query}" if parts.query else ""
        for attempt in (1, 2):  # a kept-alive connection the cache closed: once more
            try:
                if attempt == 2:
                    connection.close()  # reconnects on the next request
                connection.request("PURGE", target, headers={"Host": parts.netloc})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                if attempt == 2:
                    logger.error("front cache: purging %s failed: %s", url, error)
                continue
            # 200: purged; 404: the cache held no copy. Anything else is a refusal.
            if response.status not in {200, 404}:
                logger.error(
                    "front cache: purging %s answered %d", url, response.status
                )
            return True
        return False
