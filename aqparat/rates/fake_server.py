"""A local stand-in for the National Bank's feeds, speaking their wire format.

Standard library only. It serves `rss/rates_all.xml` and `rss/get_rates.cfm?fdate=`
on 127.0.0.1 from a deterministic series whose newest day carries the demo newsroom's
figures (USD 498.51, EUR 522.84, RUB 4.81), and can be told to misbehave, so tests and
`make run` exercise the real client and parser:

    ok, stall, error500, html, truncated, entity_bomb, external_entity, empty_day,
    huge, redirect_offsite, comma_decimal

Set a mode with `server.mode = "stall"` in tests, or over HTTP:
`POST /__fake__/mode` with the mode name as the body. Run on its own with
`python -m aqparat.rates.fake_server --port 8701`.
"""

from __future__ import annotations

import argparse
import math
import threading
import time
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

# code, Russian name, quant, rate on the newest day (tenge per quant)
CURRENCIES = (
    ("AUD", "АВСТРАЛИЙСКИЙ ДОЛЛАР", 1, "302.61"),
    ("AMD", "АРМЯНСКИЙ ДРАМ", 10, "12.38"),
    ("GBP", "ФУНТ СТЕРЛИНГОВ", 1, "618.20"),
    ("USD", "ДОЛЛАР США", 1, "498.51"),
    ("EUR", "ЕВРО", 1, "522.84"),
    ("CNY", "КИТАЙСКИЙ ЮАНЬ", 1, "68.47"),
    ("KGS", "КЫРГЫЗСКИЙ СОМ", 1, "5.58"),
    ("RUB", "РОССИЙСКИЙ РУБЛЬ", 1, "4.81"),
    ("TRY", "ТУРЕЦКАЯ ЛИРА", 1, "14.71"),
    ("UZS", "УЗБЕКСКИЙ СУМ", 100, "4.06"),
    ("JPY", "ЯПОНСКАЯ ЙЕНА", 1, "3.31"),
)
MODES = (
    "ok", "stall", "error500", "html", "truncated", "entity_bomb", "external_entity",
    "empty_day", "huge", "redirect_offsite", "comma_decimal",
)  # fmt: skip
ALMATY = ZoneInfo("Asia/Almaty")
ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rates><date>&c;</date></rates>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rates><date>&x;</date></rates>"
)


def rate_on(base: str, day: date, newest: date) -> Decimal:
    """A gentle, repeatable wobble back in time; exactly `base` on the newest day."""
    days = (newest - day).days
    factor = 1 + 0.012 * math.sin(days / 6) + 0.0004 * days
    return (Decimal(base) * Decimal(str(factor))).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


def _items(day: date, newest: date, *, with_pubdate: bool) -> str:
    rows = []
    for code, name, quant, base in CURRENCIES:
        value, before = (
            rate_on(base, day, newest),
            rate_on(base, day - timedelta(1), newest),
        )
        change = value - before
        index = "UP" if change > 0 else "DOWN" if change < 0 else ""
        sign = "+" if change > 0 else ""
        dated = (
            f"<pubDate>{day:%d.%m.%Y}</pubDate>"
            if with_pubdate
            else f"<fullname>{name}</fullname>"
        )
        rows.append(
            f"<item><title>{code}</title>{dated}<description>{value}</description>"
            f"<quant>{quant}</quant><index>{index}</index><change>{sign}{change}</change></item>"
        )
    return "\n".join(rows)


def rates_all(newest: date) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<generator>Alternate RSS Builder</generator>"
        "<title>Official exchange rates of National Bank of Republic Kazakhstan</title>"
        "<link>www.nationalbank.kz</link><language>ru</language>\n"
        + _items(newest, newest, with_pubdate=True)
        + "\n<item><title>LVL</title><pubDate>31.12.13</pubDate><description>300.96"
        "</description><quant>1</quant><index>DOWN</index><change>-0.86</change></item>"
        "</channel></rss>"
    )


def get_rates(day: date, newest: date) -> str:
    items = _items(day, newest, with_pubdate=False) if day <= newest else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rates>'
        "<generator>Alternate RSS Builder</generator>"
        f"<date>{day:%d.%m.%Y}</date>\n{items}\n</rates>"
    )


class FakeNationalBank(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, *, newest: date | None = None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.mode = "ok"
        self.stall_seconds = 30.0
        self.requests: list[str] = []
        self._newest = newest
        self._thread: threading.Thread | None = None

    @property
    def newest(self) -> date:
        return self._newest or datetime.now(ALMATY).date()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeNationalBank:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeNationalBank

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and `make run` do not need an access log from the fake."""

    def do_POST(self) -> None:
        if self.path == "/__fake__/mode":
            length = int(self.headers.get("Content-Length") or 0)
            mode = self.rfile.read(length).decode().strip()
            if mode in MODES:
                self.server.mode = mode
                return self._send(200, mode.encode(), "text/plain")
        self._send(404, b"not found", "text/plain")

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        url = urlsplit(self.path)
        if url.path == "/rss/rates_all.xml":
            body = rates_all(self.server.newest)
        elif url.path == "/rss/get_rates.cfm":
            fdate = parse_qs(url.query).get("fdate", [""])[0]
            try:
                day = datetime.strptime(fdate, "%d.%m.%Y").date()  # noqa: DTZ007
            except ValueError:
                return self._send(
                    400, b"<html><body>Bad date</body></html>", "text/html"
                )
            body = get_rates(day, self.server.newest)
        else:
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        self._misbehave_or_send(body)

    def _misbehave_or_send(self, body: str) -> None:
        mode, data = self.server.mode, body.encode()
        if mode == "stall":
            time.sleep(self.server.stall_seconds)
        elif mode == "error500":
            return self._send(
                500, b"<html><body>Internal error</body></html>", "text/html"
            )
        elif mode == "html":
            data = b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"
        elif mode == "truncated":
            data = data[: len(data) // 2]
        elif mode == "entity_bomb":
            data = ENTITY_BOMB
        elif mode == "external_entity":
            data = EXTERNAL_ENTITY
        elif mode == "empty_day":
            data = f"<rates><date>{self.server.newest:%d.%m.%Y}</date></rates>".encode()
        elif mode == "huge":
            data = data + b"<!--" + b"x" * (3 * 1024 * 1024) + b"-->"
        elif mode == "redirect_offsite":
            self.send_response(302)
            self.send_header("Location", "http://example.com/rss/rates_all.xml")
            self.end_headers()
            return None
        elif mode == "comma_decimal":
            data = data.replace(b"498.51", b"498,51")
        return self._send(200, data, "application/xml; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8701)
    args = parser.parse_args()
    server = FakeNationalBank(args.port)
    print(f"Fake National Bank on {server.base_url}", flush=True)  # noqa: T201
    server.serve_forever()


if __name__ == "__main__":
    main()
