"""Outbound HTTP with one wall-clock deadline for the whole exchange.

`http.client` and `urllib` (and requests and httpx alike) bound each connect and
each read, not an exchange: a server that sends a byte every few seconds keeps a
worker for as long as it likes, since every read returns within its timeout. Here
the connection's socket is armed before every send and receive with what is left of
one deadline (and at most the per-operation timeout), so an exchange, redirects and
TLS reads included, ends by the deadline whatever the server does. Written by hand:
no HTTP library we use offers a total deadline.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.request
from typing import Any


class Deadline:
    """A moment `seconds` from now; `remaining()` raises TimeoutError once past."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._at - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no complete answer within {self.seconds:g} s")
        return left


class _ArmedSocket:
    """A connected socket whose every send and receive waits at most until the
    deadline (and at most `timeout` each)."""

    def __init__(self, sock: socket.socket, deadline: Deadline, timeout: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._timeout = timeout

    def _arm(self) -> None:
        self._sock.settimeout(min(self._timeout, self._deadline.remaining()))

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return self._sock.recv_into(buffer, nbytes, flags)

    def recv(self, size: int, flags: int = 0) -> bytes:
        self._arm()
        return self._sock.recv(size, flags)

    def send(self, data: Any, flags: int = 0) -> int:
        self._arm()
        return self._sock.send(data, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        # One send at a time, so that the deadline is checked between them.
        view = memoryview(data).cast("B")
        while view:
            view = view[self.send(view, flags) :]

    def makefile(self, mode: str = "rb", buffering: int = -1, **kwargs: Any) -> Any:
        # http.client reads the reply through this file: through us, armed. As
        # socket.makefile does, the file holds a reference, so that urllib closing
        # the socket right after the headers leaves it open until the body is read.
        self._sock._io_refs += 1  # type: ignore[attr-defined]
        raw = socket.SocketIO(self, "rb")  # type: ignore[arg-type]
        return io.BufferedReader(raw, io.DEFAULT_BUFFER_SIZE)

    def _decref_socketios(self) -> None:
        self._sock._decref_socketios()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Armed:
    """Mixin for `http.client` connections: the socket, once connected (and wrapped
    in TLS), is armed with the deadline."""

    sock: Any
    timeout: Any

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        self._deadline = deadline
        timeout = kwargs.get("timeout")  # urllib may pass socket's default sentinel
        self._operation_timeout = (
            timeout if isinstance(timeout, int | float) else deadline.seconds
        )
        kwargs["timeout"] = min(self._operation_timeout, deadline.remaining())
        super().__init__(*args, **kwargs)

    def connect(self) -> None:
        self.timeout = min(self._operation_timeout, self._deadline.remaining())
        super().connect()  # type: ignore[misc]
        self.sock = _ArmedSocket(self.sock, self._deadline, self._operation_timeout)


class DeadlineHTTPConnection(_Armed, http.client.HTTPConnection):
    pass


class DeadlineHTTPSConnection(_Armed, http.client.HTTPSConnection):
    pass


class DeadlineHTTPHandler(urllib.request.HTTPHandler):
    """urllib's handler with the deadline's connections: build an opener with it
    (and the HTTPS one) for each exchange, so redirects share the deadline."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection, req)

    def _connection(self, *args: Any, **kwargs: Any) -> DeadlineHTTPConnection:
        return DeadlineHTTPConnection(*args, deadline=self._deadline, **kwargs)


class DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(
            self._connection,
            req,
            context=self._context,  # type: ignore[attr-defined]
        )

    def _connection(self, *args: Any, **kwargs: Any) -> DeadlineHTTPSConnection:
        return DeadlineHTTPSConnection(*args, deadline=self._deadline, **kwargs)
