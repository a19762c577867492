"""gunicorn's settings (aqparat/gunicorn_conf.py): what the master imported is
shared with its workers, and no connection it opened crosses the fork."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.db import connection
from wagtail.models import Site


@pytest.fixture
def conf() -> Iterator[ModuleType]:
    module = importlib.import_module("aqparat.gunicorn_conf")
    yield module
    gc.unfreeze()
    gc.enable()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_master_forks_with_no_connection_open_and_its_objects_frozen(
    conf: ModuleType,
) -> None:
    assert conf.preload_app
    list(Site.objects.all())  # the master read something while importing
    assert connection.connection is not None

    conf.pre_fork(None, None)

    assert connection.connection is None
    assert gc.get_freeze_count() > 0


def test_a_worker_collects_again(conf: ModuleType) -> None:
    gc.disable()
    conf.post_fork(None, None)
    assert gc.isenabled()
