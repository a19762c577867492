"""Every audience test starts with an empty views buffer (SQLite file or Redis)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aqparat.analytics.buffer import get_view_buffer
from aqparat.analytics.services import reset_process_state

READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " + (
    "Chrome/124.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _empty_buffer() -> Iterator[None]:
    get_view_buffer().clear()
    reset_process_state()
    yield
    get_view_buffer().clear()
    reset_process_state()
