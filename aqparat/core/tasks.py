"""Work of the ground floor done in the huey consumer."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from aqparat.core.frontcache import front_cache_purge


@db_task(retries=2, retry_delay=5)
def front_cache_purge_task(urls: list[str]) -> None:
    """A purge too large for the request that retired the pages (every page, after a
    banner or a rates fetch)."""
    front_cache_purge(urls)
