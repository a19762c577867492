"""gunicorn's settings for Aqparat: `gunicorn -c python:aqparat.gunicorn_conf
aqparat.wsgi` (`make run`, the benchmarks and the browser tests start it so).

Django, Wagtail and our apps are imported once, in the master, and the workers
forked from it share those pages instead of importing a copy each: most of a
worker's memory is module code and data that never changes after start (about
125 MiB after `django.setup()`). Python's advice for that (the `gc` module's
documentation): no collection in the master while it imports, so it leaves no
freed holes in the pages it shares, and `gc.freeze()` before each fork, so that a
worker's collections never write to the objects it inherited.
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True

gc.disable()  # until the application is imported; pre_fork freezes it


def pre_fork(server: Any, worker: Any) -> None:
    # Nothing the master opened while importing crosses the fork: a SQLite or
    # socket connection must never be used by two processes.
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    gc.enable()
