from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from aqparat.core.selectors import site_settings_for_request


def site_settings(request: HttpRequest) -> dict[str, Any]:
    """`site_settings` in every template, read from the cache only when used."""
    return {
        "site_settings": SimpleLazyObject(
            lambda: site_settings_for_request(request=request)
        )
    }
