"""Purging the front cache: the HTTP backend against a local server that answers PURGE
as the shipped nginx site does, and which pages a change purges.

The end-to-end proof with nginx itself is tests/e2e/test_front_cache.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

from django.test import SimpleTestCase, override_settings

from aqparat.core import pagecache
from aqparat.core.frontcache import HTTPPurgeBackend
from aqparat.core.tests.test_pagecache import CachedNewsroom, latin_of


@dataclass
class Purges:
    """What a purging cache received: (Host, path) in order, and from which client
    ports (one per connection)."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    ports: set[int] = field(default_factory=set)
    held: set[str] = field(default_factory=set)  # paths it has a copy of: 200

    def paths(self) -> set[str]:
        return {path for _, path in self.seen}


@contextmanager
def purging_cache() -> Iterator[tuple[str, Purges]]:
    purges = Purges()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps the connection, as nginx does

        def do_PURGE(self) -> None:
            purges.seen.append((self.headers["Host"], self.path))
            purges.ports.add(self.client_address[1])
            status = 200 if self.path.removeprefix("/_purge") in purges.held else 404
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", purges
    finally:
        server.shutdown()
        server.server_close()


class HTTPPurgeBackendTests(SimpleTestCase):
    def test_a_batch_goes_over_one_connection_with_each_page_host(self) -> None:
        with purging_cache() as (location, purges):
            purges.held.add("/kk/")
            backend = HTTPPurgeBackend({"LOCATION": location + "/_purge"})
            backend.purge_batch([
                "http://aqparat.kz/kk/",
                "http://aqparat.kz/kk/?page=2",
                "https://aqparat.kz:8443/ru/news/most/",
            ])  # fmt: skip
        self.assertEqual(
            purges.seen,
            [("aqparat.kz", "/_purge/kk/"), ("aqparat.kz", "/_purge/kk/?page=2"),
             ("aqparat.kz:8443", "/_purge/ru/news/most/")],
        )  # fmt: skip
        self.assertEqual(len(purges.ports), 1)

    def test_a_cache_that_never_answers_ends_the_batch_at_its_deadline(self) -> None:
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(100)  # accepts connections, never reads or answers
        port = silent.getsockname()[1]
        try:
            backend = HTTPPurgeBackend(
                {"LOCATION": f"http://127.0.0.1:{port}", "TIMEOUT": 0.3}
            )
            urls = [f"http://aqparat.kz/kk/{n}/" for n in range(50)]
            start = time.monotonic()
            with self.assertLogs("aqparat.core.frontcache", "ERROR") as logs:
                backend.purge_batch(urls)
            elapsed = time.monotonic() - start
        finally:
            silent.close()
        self.assertLess(elapsed, 2.0)  # two attempts of 0.3 s, not fifty
        self.assertIn("50 URLs not purged", "\n".join(logs.output))

    def test_a_cache_that_is_down_does_not_fail_the_caller(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # closed again: nothing listens there
        backend = HTTPPurgeBackend({"LOCATION": f"http://127.0.0.1:{port}"})
        with self.assertLogs("aqparat.core.frontcache", "ERROR"):
            backend.purge_batch(["http://aqparat.kz/kk/"])


class PurgeOnChangeTests(CachedNewsroom):
    """A change purges what the page cache knows the front cache may hold."""

    @contextmanager
    def front_cache(self) -> Iterator[Purges]:
        with purging_cache() as (location, purges):
            backends = {
                "front": {
                    "BACKEND": "aqparat.core.frontcache.HTTPPurgeBackend",
                    "LOCATION": location,
                }
            }
            with override_settings(WAGTAILFRONTENDCACHE=backends):
                yield purges

    def test_a_correction_purges_the_story_everywhere_and_its_listings(self) -> None:
        with self.front_cache() as purges:
            pages = [*self.story_urls(), *self.listing_urls(), self.neighbour.url]
            self.warm([*pages, self.other.url])
            self.correct_the_story()
        for url in pages:
            self.assertIn(url, purges.paths())
        self.assertNotIn(self.other.url, purges.paths())  # it neither is nor links it
        self.assertEqual({host for host, _ in purges.seen}, {"testserver", "localhost"})

    def test_a_story_never_read_here_is_purged_by_its_addresses(self) -> None:
        """A reader may have fetched its 404 through the front cache before it went
        live; nothing of it is in the page cache, yet its addresses are purged."""
        with self.front_cache() as purges:
            self.correct_the_story()
        for page in (self.story["kk"], latin_of(self.story["kk"]), self.story["ru"]):
            self.assertIn(page.url, purges.paths())
        # and the pages readers reload most, should the index be lost (nothing was
        # read, so nothing is indexed here)
        for page in (self.editions.sections["kk"], self.editions.homes["kk"],
                     self.editions.homes["en"]):  # fmt: skip
            self.assertIn(page.url, purges.paths())
        self.assertNotIn(self.other.get_parent().url, purges.paths())

    def test_a_purge_of_every_page_goes_through_the_task_queue(self) -> None:
        with self.front_cache() as purges:
            self.warm([*self.story_urls(), self.other.url])
            with (
                mock.patch.object(pagecache, "PURGE_INLINE_LIMIT", 0),
                mock.patch(
                    "aqparat.core.tasks.front_cache_purge",
                    wraps=pagecache.front_cache_purge,
                ) as task_body,
                self.committed(),
            ):
                pagecache.retire(pagecache.ALL)
        task_body.assert_called_once()
        for url in [*self.story_urls(), self.other.url]:
            self.assertIn(url, purges.paths())

    def test_without_a_front_cache_nothing_is_indexed(self) -> None:
        self.warm([self.story["kk"].url])
        self.assertEqual(pagecache.indexed_urls([pagecache.ALL]), set())
