"""CORS: only on /api/, only for the origins in AQPARAT_API_CORS_ORIGINS."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

PARTNER = "https://partner.example"
SECTIONS = "/api/v1/sections?language=en"
pytestmark = pytest.mark.usefixtures("newsroom")


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_an_allowed_origin_may_read(client: Client) -> None:
    response = client.get(SECTIONS, HTTP_ORIGIN=PARTNER)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_preflight_allows_reading_only(client: Client) -> None:
    response = client.options(
        SECTIONS, HTTP_ORIGIN=PARTNER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_foreign_origin_gets_no_cors_header(client: Client) -> None:
    response = client.get(SECTIONS, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_pages_outside_the_api_get_no_cors_header(client: Client) -> None:
    response = client.get("/en/", HTTP_ORIGIN=PARTNER)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_no_origin_is_allowed_by_default(client: Client) -> None:
    response = client.get(SECTIONS, HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in response
