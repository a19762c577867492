"""Errors reach people: the admins by mail (DJANGO_ADMINS), and Sentry when
SENTRY_DSN is set (settings/base.py).

A job that fails every minute would mail every minute: `OncePerWindow` lets one
mail through per kind of error (its logger and message template) and window, in
every process of the deployment at once (the count is in the shared cache).
"""

from __future__ import annotations

import hashlib
import logging
from email.utils import getaddresses

ALERT_WINDOW_SECONDS = 600


def admins_from(value: str) -> list[tuple[str, str]]:
    """DJANGO_ADMINS ("Desk <desk@example.kz>, ops@example.kz") as Django's ADMINS;
    ValueError for an entry that is not an address."""
    admins = []
    for name, address in getaddresses([value]):
        if not address:
            continue
        if "@" not in address:
            raise ValueError(f"DJANGO_ADMINS: {address!r} is not an email address")
        admins.append((name or address, address))
    return admins


ALREADY_MAILED = {"already_mailed": True}


class OncePerWindow(logging.Filter):
    """Lets a record through if no record of the same logger and message template
    went through in the last ALERT_WINDOW_SECONDS, in any process. A record logged
    with `extra=ALREADY_MAILED` (its code mailed the admins itself, with more to
    say) never goes through."""

    def filter(self, record: logging.LogRecord) -> bool:
        from django.core.cache import cache

        if getattr(record, "already_mailed", False):
            return False

        kind = f"{record.name}\0{record.msg}".encode()
        key = "core:alerts:v1:" + hashlib.sha256(kind).hexdigest()[:32]
        try:
            return bool(cache.add(key, 1, ALERT_WINDOW_SECONDS))
        except Exception:  # noqa: BLE001 - no cache, no throttle: a mail too many
            return True


def sentry_init(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    """Sentry for the web processes and the huey consumer (its Django, huey and
    logging integrations: an error logged is an event too). No personal data: no
    cookies, user or address of the reader or editor."""
    from importlib.metadata import PackageNotFoundError, version

    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.huey import HueyIntegration

    try:
        release = f"aqparat@{version('aqparat')}"
    except PackageNotFoundError:
        release = None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), HueyIntegration()],
    )
