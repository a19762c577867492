"""A server that drips its answer holds neither outbound client past its deadline
(core/deadline_http.py): each read returned within its timeout, so before, the
National Bank and Telegram clients waited as long as the server kept dripping."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from aqparat.core.deadline_http import Deadline, DeadlineHTTPConnection
from aqparat.rates.client import HttpRatesClient
from aqparat.rates.exceptions import RatesFeedError
from aqparat.telegram.client import HttpTelegramClient
from aqparat.telegram.exceptions import TelegramUncertain

DRIP_SECONDS = 0.1
DRIPS_AT_MOST = 150  # 15 s: a client that waits for it all fails the test
HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9999\r\n\r\n"
)


def _serve(listener: socket.socket, in_headers: bool, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                request += chunk
            head = b"" if in_headers else HEAD
            drip = (HEAD if in_headers else b"{" * DRIPS_AT_MOST)[:DRIPS_AT_MOST]
            try:
                conn.sendall(head)
                for byte in drip:
                    if stop.is_set():
                        break
                    conn.sendall(bytes([byte]))
                    time.sleep(DRIP_SECONDS)
            except OSError:
                continue  # the client gave up: what we want


@pytest.fixture(params=["body", "headers"])
def dripping(request: pytest.FixtureRequest) -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    stop = threading.Event()
    server = threading.Thread(
        target=_serve, args=(listener, request.param == "headers", stop), daemon=True
    )
    server.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()
    server.join(5)


def _timed(call: Callable[[], object]) -> tuple[float, BaseException | None]:
    outcome: list[BaseException | None] = [None]

    def run() -> None:
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome[0] = error

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DRIPS_AT_MOST * DRIP_SECONDS + 5)
    assert not worker.is_alive(), "the client is still reading"
    return time.monotonic() - started, outcome[0]


def test_the_rates_client_gives_up_at_its_deadline(dripping: str) -> None:
    client = HttpRatesClient(base_url=dripping, timeout=1.0, deadline=1.5)
    elapsed, error = _timed(client.fetch_latest)
    assert isinstance(error, RatesFeedError), error
    assert "timed out after 1.5 s" in str(error)
    assert elapsed < 3.5


def test_the_telegram_client_gives_up_at_its_deadline(dripping: str) -> None:
    client = HttpTelegramClient(base_url=dripping, token="123:abc", timeout=0.75)
    elapsed, error = _timed(lambda: client.send_message(chat_id=1, text="Сәлем"))
    # Sent, and no whole answer: Telegram may have posted it.
    assert isinstance(error, TelegramUncertain), error
    assert elapsed < 3.5


def test_a_connection_with_the_default_timeout_still_ends_at_its_deadline(
    dripping: str,
) -> None:
    host, port = dripping.removeprefix("http://").split(":")
    connection = DeadlineHTTPConnection(
        host, int(port), timeout=socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
        deadline=Deadline(1.0),
    )  # fmt: skip

    def exchange() -> None:
        connection.request("GET", "/")
        connection.getresponse().read()

    elapsed, error = _timed(exchange)
    connection.close()
    assert isinstance(error, TimeoutError), error
    assert elapsed < 3.0
