"""Errors reach people (issue 17, item 3): the admins by mail, once per kind of
error in a window, from the environment's settings; JSON log lines by a switch;
Sentry by SENTRY_DSN, seen at the wire."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from aqparat.core.alerts import admins_from
from aqparat.core.tests.test_settings import python

ADMINS = [("Desk", "desk@example.kz")]


@pytest.fixture(autouse=True)
def _fresh_window() -> None:
    cache.clear()


def test_admins_come_from_one_variable() -> None:
    assert admins_from("Desk <desk@example.kz>, ops@example.kz") == [
        ("Desk", "desk@example.kz"), ("ops@example.kz", "ops@example.kz")
    ]  # fmt: skip
    assert admins_from("") == []
    with pytest.raises(ValueError, match="not an email address"):
        admins_from("desk")


@override_settings(ADMINS=ADMINS, DEBUG=False)
def test_an_error_in_a_job_mails_the_admins_once_per_kind_in_a_window() -> None:
    log = logging.getLogger("aqparat.newsroom.tasks")
    for page in (11, 12, 13):  # a job failing at every run
        log.error("Scheduled publication of page %s failed", page)
    logging.getLogger("aqparat.telegram.tasks").error("Post %s given up", 7)
    logging.getLogger("aqparat.telegram.tasks").warning("Post %s retried", 8)
    assert [message.to for message in mail.outbox] == [["desk@example.kz"]] * 2
    assert "Scheduled publication of page 11 failed" in mail.outbox[0].subject
    assert "Post 7 given up" in mail.outbox[1].subject


def test_without_admins_no_mail_is_sent() -> None:
    logging.getLogger("aqparat.newsroom.tasks").error("Nobody to tell")
    assert mail.outbox == []


def test_mail_settings_come_from_the_environment() -> None:
    env = {"DJANGO_ADMINS": "Desk <desk@example.kz>", "DJANGO_SERVER_EMAIL":
           "alerts@example.kz", "DJANGO_EMAIL_HOST": "smtp.example.kz",
           "DJANGO_EMAIL_PORT": "587", "DJANGO_EMAIL_USE_TLS": "on",
           "DJANGO_EMAIL_HOST_USER": "aqparat"}  # fmt: skip
    script = (
        "from django.conf import settings as s\n"
        "print(s.ADMINS, s.SERVER_EMAIL, s.DEFAULT_FROM_EMAIL, s.EMAIL_HOST,"
        " s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)"
    )
    out = python("aqparat.settings.dev", env, script)
    assert out.stdout.strip() == (
        "[('Desk', 'desk@example.kz')] alerts@example.kz alerts@example.kz "
        "smtp.example.kz 587 True aqparat"
    ), out.stderr


def test_json_log_lines_by_a_switch(tmp_path: Path) -> None:
    script = (
        "import django; django.setup()\n"
        "import logging\n"
        "logging.getLogger('aqparat.rates').warning('Feed for %s refused', 'USD')\n"
    )
    env = {"AQPARAT_LOG_FORMAT": "json", "AQPARAT_VAR_DIR": str(tmp_path)}
    out = python("aqparat.settings.dev", env, script)
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert line["message"] == "Feed for USD refused"
    assert line["level"] == "WARNING" and line["name"] == "aqparat.rates"
    assert "time" in line
    plain = python("aqparat.settings.dev", {"AQPARAT_VAR_DIR": str(tmp_path)}, script)
    assert plain.stderr.strip().endswith("WARNING aqparat.rates: Feed for USD refused")


@pytest.fixture
def sentry_intake() -> Iterator[tuple[str, list[bytes]]]:
    """A local stand-in for Sentry's ingest endpoint: keeps each envelope posted."""
    received: list[bytes] = []

    class Intake(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.headers.get("Content-Encoding") == "gzip":
                import gzip

                body = gzip.decompress(body)
            received.append(self.path.encode() + b"\n" + body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Intake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://publickey@127.0.0.1:{server.server_port}/42", received
    finally:
        server.shutdown()


def test_sentry_gets_each_error_logged_and_no_personal_data(
    sentry_intake: tuple[str, list[bytes]], tmp_path: Path
) -> None:
    dsn, received = sentry_intake
    script = (
        "import django; django.setup()\n"
        "import logging, sentry_sdk\n"
        "from django.test import Client\n"
        "try:\n"
        "    raise RuntimeError('Publication run broke')\n"
        "except RuntimeError:\n"
        "    logging.getLogger('aqparat.newsroom.tasks').exception('Run failed')\n"
        "sentry_sdk.flush(5)\n"
        "print(sentry_sdk.get_client().options['send_default_pii'])\n"
    )
    env = {"SENTRY_DSN": dsn, "AQPARAT_VAR_DIR": str(tmp_path)}
    out = python("aqparat.settings.dev", env, script)
    assert out.returncode == 0, out.stderr
    posted = b"\n".join(received)
    assert b"/api/42/envelope/" in posted
    assert b"Publication run broke" in posted and b"RuntimeError" in posted
    assert out.stdout.split() == ["False"]  # no cookies, users or addresses


@override_settings(ADMINS=ADMINS, DEBUG=False)
def test_an_error_whose_code_mailed_the_admins_itself_is_not_mailed_again() -> None:
    from aqparat.core.alerts import ALREADY_MAILED

    logging.getLogger("aqparat.telegram").error("Post failed", extra=ALREADY_MAILED)
    assert mail.outbox == []
