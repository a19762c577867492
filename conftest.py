"""Suite-wide fixtures: every test starts with an empty cache.

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
