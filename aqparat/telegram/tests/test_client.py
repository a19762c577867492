"""The client says where a failure happened, and never names the token."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aqparat.telegram.client import HttpTelegramClient
from aqparat.telegram.exceptions import (
    TelegramApiError,
    TelegramNotSent,
    TelegramUncertain,
)
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.tests.conftest import TOKEN


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram(TOKEN).start()
    server.stall_seconds = 2
    yield server
    server.stop()


def client_for(fake: FakeTelegram, token: str = TOKEN) -> HttpTelegramClient:
    return HttpTelegramClient(base_url=fake.base_url, token=token, timeout=0.5)


def test_sends_and_returns_the_message(fake: FakeTelegram) -> None:
    result = client_for(fake).send_message(
        chat_id="@aqparat_en", text="<b>Hello</b>", parse_mode="HTML"
    )
    assert result["message_id"] == 1
    assert result["chat"]["id"] == fake.chat_id("@aqparat_en")
    assert result["text"] == "Hello"


def test_an_api_error_carries_code_description_and_retry_after(
    fake: FakeTelegram,
) -> None:
    fake.script("429:7")
    with pytest.raises(TelegramApiError) as caught:
        client_for(fake).send_message(chat_id="@aqparat_en", text="x")
    assert (caught.value.code, caught.value.retry_after) == (429, 7.0)
    assert caught.value.is_rate_limit
    with pytest.raises(TelegramApiError, match="chat not found"):
        client_for(fake).send_message(chat_id="@nobody", text="x")


def test_a_refused_connection_is_not_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    client = HttpTelegramClient(base_url=f"http://127.0.0.1:{port}", token=TOKEN)
    with pytest.raises(TelegramNotSent) as caught:
        client.send_message(chat_id="@aqparat_en", text="x")
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("step", ["stall", "drop"])
def test_no_answer_after_sending_is_uncertain(fake: FakeTelegram, step: str) -> None:
    fake.script(step)
    with pytest.raises(TelegramUncertain) as caught:
        client_for(fake).send_message(chat_id="@aqparat_en", text="x")
    assert TOKEN not in str(caught.value)
    assert len(fake.messages("@aqparat_en")) == 1  # it did go out


def test_errors_and_reprs_never_show_the_token(fake: FakeTelegram) -> None:
    client = client_for(fake, token=TOKEN[:-1] + "X")
    with pytest.raises(TelegramApiError) as caught:
        client.send_message(chat_id="@aqparat_en", text="x")
    assert caught.value.code == 401
    assert TOKEN[:20] not in str(caught.value) + repr(client)
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_without_a_token_nothing_is_sent(fake: FakeTelegram) -> None:
    with pytest.raises(TelegramApiError, match="no bot token"):
        client_for(fake, token="").send_message(chat_id="@aqparat_en", text="x")
    assert fake.requests == []


class _Gateway(BaseHTTPRequestHandler):
    """A proxy in front of the Bot API answering with its own pages."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        status = int(self.path.rsplit("/", 1)[1].removeprefix("status"))
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>Gateway</body></html>")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.mark.parametrize(
    ("status", "error"),
    [(502, TelegramUncertain), (504, TelegramUncertain), (503, TelegramApiError)],
)
def test_a_gateways_page_is_uncertain_unless_it_refused_at_the_door(
    status: int, error: type[Exception]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = HttpTelegramClient(
            base_url=f"http://127.0.0.1:{server.server_address[1]}", token=TOKEN
        )
        with pytest.raises(error):
            client.call(f"status{status}", {"chat_id": "@aqparat_en", "text": "x"})
    finally:
        server.shutdown()
        server.server_close()
