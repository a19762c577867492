"""HTTP client for the Telegram Bot API. Talks to exactly one system; no ORM.

Written on http.client rather than urllib so that where a failure happened is
known: before the connection was made (`TelegramNotSent`, safe to retry) or after the
request was written (`TelegramUncertain`, Telegram may have posted). The token is
part of the request path only; errors and logs name the method, never the URL.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from typing import Any, Protocol
from urllib.parse import urlsplit

from aqparat.core.deadline_http import (
    Deadline,
    DeadlineHTTPConnection,
    DeadlineHTTPSConnection,
)
from aqparat.telegram.exceptions import (
    TelegramApiError,
    TelegramNotSent,
    TelegramUncertain,
)

MAX_REPLY_BYTES = 1024 * 1024
_RETRY_AFTER = re.compile(r"retry after (\d+)", re.IGNORECASE)


class TelegramClient(Protocol):
    def send_message(self, **params: Any) -> dict[str, Any]: ...

    def send_photo(self, **params: Any) -> dict[str, Any]: ...

    def edit_message_text(self, **params: Any) -> dict[str, Any]: ...

    def edit_message_caption(self, **params: Any) -> dict[str, Any]: ...

    def delete_message(self, **params: Any) -> bool: ...


class HttpTelegramClient:
    """`base_url` e.g. https://api.telegram.org; `timeout` bounds connecting and
    waiting for the reply, and twice it the whole call."""

    def __init__(self, *, base_url: str, token: str, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("The Telegram API URL must be http(s)://host[:port]")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._token = token
        self.timeout = timeout

    def __repr__(self) -> str:  # the token stays out of reprs and tracebacks
        return f"HttpTelegramClient(host={self._host!r})"

    def send_message(self, **params: Any) -> dict[str, Any]:
        return dict(self.call("sendMessage", params))

    def send_photo(self, **params: Any) -> dict[str, Any]:
        return dict(self.call("sendPhoto", params))

    def edit_message_text(self, **params: Any) -> dict[str, Any]:
        return dict(self.call("editMessageText", params))

    def edit_message_caption(self, **params: Any) -> dict[str, Any]:
        return dict(self.call("editMessageCaption", params))

    def delete_message(self, **params: Any) -> bool:
        return bool(self.call("deleteMessage", params))

    def call(self, method: str, params: dict[str, Any]) -> Any:
        if not self._token:
            raise TelegramApiError(401, "Unauthorized: no bot token is configured")
        body = json.dumps(params, ensure_ascii=False).encode()
        connection = self._connection()
        try:
            try:
                connection.connect()
            except (OSError, http.client.HTTPException) as error:
                raise TelegramNotSent(
                    f"{method}: could not connect to {self._host}: {_reason(error)}"
                ) from None
            try:
                connection.request(
                    "POST",
                    f"{self._prefix}/bot{self._token}/{method}",
                    body=body,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
                response = connection.getresponse()
                raw = response.read(MAX_REPLY_BYTES + 1)
            except (OSError, http.client.HTTPException) as error:
                raise TelegramUncertain(
                    f"{method}: no answer from {self._host} after the request was "
                    f"sent ({_reason(error)})"
                ) from None
        finally:
            connection.close()
        return self._result(method, response.status, raw)

    def _connection(self) -> http.client.HTTPConnection:
        # One deadline for the call, that a server dripping its reply cannot
        # stretch (core/deadline_http.py): twice the wait for connecting or a read.
        deadline = Deadline(2 * self.timeout)
        if self._https:
            return DeadlineHTTPSConnection(
                self._host, self._port, timeout=self.timeout, deadline=deadline
            )
        return DeadlineHTTPConnection(
            self._host, self._port, timeout=self.timeout, deadline=deadline
        )

    def _result(self, method: str, status: int, raw: bytes) -> Any:
        if len(raw) > MAX_REPLY_BYTES:
            raise TelegramUncertain(f"{method}: the reply was larger than expected")
        if status == 504:  # a gateway gave up waiting: Telegram may have acted
            raise TelegramUncertain(f"{method}: HTTP 504 from {self._host}")
        try:
            envelope = json.loads(raw)
            ok = envelope["ok"]
        except (ValueError, TypeError, KeyError):
            if status == 503:  # refused at the door, before reaching the Bot API
                raise TelegramApiError(status, "HTTP 503 without a reply") from None
            raise TelegramUncertain(
                f"{method}: HTTP {status} with a reply that is not the Bot API's JSON"
            ) from None
        if ok is True:
            return envelope.get("result")
        code = int(envelope.get("error_code") or status)
        description = str(envelope.get("description") or f"HTTP {status}")
        retry_after = (envelope.get("parameters") or {}).get("retry_after")
        if retry_after is None and code == 429:
            match = _RETRY_AFTER.search(description)
            retry_after = int(match.group(1)) if match else None
        raise TelegramApiError(
            code, description, float(retry_after) if retry_after is not None else None
        )


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(error, socket.gaierror):
        return "name not resolved"
    strerror = getattr(error, "strerror", None)
    return error.__class__.__name__ + (f": {strerror}" if strerror else "")


def get_telegram_client() -> HttpTelegramClient:
    """The client configured by settings (AQPARAT_TELEGRAM_*)."""
    from django.conf import settings

    return HttpTelegramClient(
        base_url=settings.AQPARAT_TELEGRAM_API_URL,
        token=settings.AQPARAT_TELEGRAM_BOT_TOKEN,
        timeout=settings.AQPARAT_TELEGRAM_TIMEOUT,
    )
