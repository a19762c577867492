from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from aqparat.core.middleware import note_last_modified
from aqparat.rates.selectors import rates_for_ticker

register = template.Library()


@register.inclusion_tag("components/rates_ticker.html", takes_context=True)
def rates_ticker(context: dict[str, Any]) -> dict[str, Any]:
    """The header ticker of official tenge rates; cached, so usually query-free."""
    ticker = rates_for_ticker(currencies=tuple(settings.AQPARAT_TICKER_CURRENCIES))
    if ticker is not None:
        note_last_modified(context.get("request"), ticker.stored_at)
    return {"ticker": ticker}
