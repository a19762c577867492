"""The settings of the consumer that tests/e2e/test_workers_recover.py kills: the
local ones, and the test-only app that holds the jobs (`AQPARAT_E2E_HOLD_DIR`)."""

from aqparat.settings.dev import *  # noqa: F403
from aqparat.settings.dev import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.e2e.workers"]
