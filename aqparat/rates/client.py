"""HTTP client for the National Bank's rates feeds. Talks to exactly one system; no ORM.

Failures become RatesFeedError with a message an operator can act on: timeouts
(connect and read), 5xx and other non-200 answers, redirects to another host, bodies
over the size cap. Whether the body is a rates document is the parser's business.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit

from aqparat.core.deadline_http import (
    Deadline,
    DeadlineHTTPHandler,
    DeadlineHTTPSHandler,
)
from aqparat.rates.exceptions import RatesFeedError

LATEST_PATH = "/rss/rates_all.xml"
FOR_DATE_PATH = "/rss/get_rates.cfm?fdate={day:%d.%m.%Y}"


class RatesClient(Protocol):
    def fetch_latest(self) -> bytes: ...

    def fetch_for_date(self, day: date) -> bytes: ...


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).hostname != urlsplit(req.full_url).hostname:
            raise RatesFeedError(f"refused redirect to another host: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpRatesClient:
    """`base_url` e.g. https://nationalbank.kz; `timeout` bounds connecting and each
    read; `deadline` bounds the whole exchange, however slowly the server sends;
    `max_bytes` caps the body."""

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float = 5.0,
        deadline: float = 15.0,
        max_bytes: int = 2 * 1024 * 1024,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes

    def fetch_latest(self) -> bytes:
        return self._get(self.base_url + LATEST_PATH)

    def fetch_for_date(self, day: date) -> bytes:
        return self._get(self.base_url + FOR_DATE_PATH.format(day=day))

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(  # noqa: S310 - the base URL comes from settings
            url,
            headers={"User-Agent": "Aqparat rates client", "Accept": "application/xml"},
        )
        started = time.monotonic()
        # One deadline for the whole exchange, redirects included, that a server
        # dripping bytes cannot stretch (core/deadline_http.py).
        deadline = Deadline(self.deadline)
        opener = urllib.request.build_opener(
            DeadlineHTTPHandler(deadline),
            DeadlineHTTPSHandler(deadline),
            _SameHostRedirects(),
        )
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return self._read(response, url)
        except urllib.error.HTTPError as error:
            raise RatesFeedError(f"{url} answered HTTP {error.code}") from error
        except TimeoutError as error:
            limit = (
                self.deadline
                if time.monotonic() - started >= self.deadline
                else self.timeout
            )
            raise RatesFeedError(f"{url} timed out after {limit:g} s") from error
        except urllib.error.URLError as error:
            raise RatesFeedError(
                f"{url} could not be reached: {error.reason}"
            ) from error
        except OSError as error:
            raise RatesFeedError(f"{url} failed: {error}") from error

    def _read(self, response: object, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(64 * 1024):  # type: ignore[attr-defined]
            size += len(chunk)
            if size > self.max_bytes:
                raise RatesFeedError(f"{url} sent more than {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def get_rates_client() -> HttpRatesClient:
    """The client configured by settings (AQPARAT_NBK_BASE_URL, timeouts)."""
    from django.conf import settings

    return HttpRatesClient(
        base_url=settings.AQPARAT_NBK_BASE_URL,
        timeout=settings.AQPARAT_NBK_TIMEOUT,
        max_bytes=settings.AQPARAT_NBK_MAX_BYTES,
    )
