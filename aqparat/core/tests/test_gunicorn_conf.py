"""gunicorn's settings (aqparat/gunicorn_conf.py): what the master imported is
shared with its workers, and no connection it opened crosses the fork."""

from __future__ import annotations

import gc
import importlib

from django.db import connection
from django.test import TransactionTestCase
from wagtail.models import Site


class PreForkTests(TransactionTestCase):
    def test_the_master_forks_with_no_connection_open_and_its_objects_frozen(self):
        conf = importlib.import_module("aqparat.gunicorn_conf")
        self.assertTrue(conf.preload_app)
        self.addCleanup(conf.post_fork, None, None)
        self.addCleanup(gc.unfreeze)
        list(Site.objects.all())  # the master read something while importing
        self.assertIsNotNone(connection.connection)

        conf.pre_fork(None, None)

        self.assertIsNone(connection.connection)
        self.assertGreater(gc.get_freeze_count(), 0)

    def test_a_worker_collects_again(self):
        conf = importlib.import_module("aqparat.gunicorn_conf")
        gc.disable()
        conf.post_fork(None, None)
        self.assertTrue(gc.isenabled())
