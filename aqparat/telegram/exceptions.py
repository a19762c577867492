"""What can go wrong talking to the Bot API, sorted by what it means for a post."""

from __future__ import annotations


class TelegramError(Exception):
    """Base class. Messages never contain the bot token."""


class TelegramNotSent(TelegramError):
    """The request never reached Telegram (DNS, connection refused): safe to retry."""


class TelegramUncertain(TelegramError):
    """The request left us but no answer came back (timeout, dropped connection,
    garbled reply): Telegram may have acted on it, so it must not be resent blindly."""


class TelegramApiError(TelegramError):
    """Telegram answered `ok: false`."""

    def __init__(
        self, code: int, description: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after

    @property
    def is_rate_limit(self) -> bool:
        return self.code == 429

    @property
    def is_server_error(self) -> bool:
        return self.code >= 500

    @property
    def is_not_modified(self) -> bool:
        return self.code == 400 and "message is not modified" in self.description
