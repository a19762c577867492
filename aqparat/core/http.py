"""Who sent a request, as far as our own proxy can tell."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or the last entry of the header our
    trusted proxy sets (`AQPARAT_CLIENT_IP_HEADER`; earlier entries are whatever the
    client claimed). docs/security.md says which header for which deployment."""
    address = request.META.get(settings.AQPARAT_CLIENT_IP_HEADER) or ""
    return address.split(",")[-1].strip()
