"""Suite-wide fixtures: every test starts with an empty cache.

Tests that need real commits mark themselves
`django_db(transaction=True, serialized_rollback=True)`: what the data migrations made
(the root page, locales, groups, the default workflow) comes back after each one, and
no flush re-creates content types under other keys.

Uploaded media go to a temporary folder made once per run (settings/test.py), so
files written while setting up a test class stay readable by its tests.
"""

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
