"""Site-wide read helpers."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


def listing_page_of(*, items: Any, page_number: str | None, per_page: int) -> Page[Any]:
    """One page of a listing, forgiving any `?page=` a reader or crawler sends.

    Not a number (`?page=abc`) gives the first page and past the end (`?page=99999`)
    gives the last, so a listing never answers 500 for a hand-edited URL.
    """
    return Paginator(items, per_page, allow_empty_first_page=True).get_page(page_number)
