from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from aqparat.core.middleware import note_last_modified
from aqparat.core.selectors import site_settings_for_request
from aqparat.rates.selectors import rates_for_ticker

register = template.Library()


@register.inclusion_tag("components/rates_ticker.html", takes_context=True)
def rates_ticker(context: dict[str, Any]) -> dict[str, Any]:
    """The header ticker of official tenge rates; cached, so usually query-free."""
    request = context.get("request")
    codes = (
        site_settings_for_request(request=request).ticker_codes
        if request is not None
        else tuple(settings.AQPARAT_TICKER_CURRENCIES)
    )
    ticker = rates_for_ticker(currencies=codes)
    if ticker is not None:
        note_last_modified(request, ticker.stored_at)
    return {"ticker": ticker}
