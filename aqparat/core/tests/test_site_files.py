"""Files browsers ask for at the site's root, without a page."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image


@pytest.mark.django_db
def test_the_favicon_is_the_outlets_icon_at_the_root(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with Image.open(io.BytesIO(body)) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]


@pytest.mark.django_db
def test_pages_link_the_icons_phones_and_browsers_ask_for(client: Client) -> None:
    """A page's head names the favicon and the icon a phone puts on its home screen
    (iOS asks for 180 px, Android 192 px); each answers at its size."""
    from aqparat.news.tests.factories import editions_build

    editions_build()
    html = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    for rel, size in (("apple-touch-icon", 180), ("icon", 192)):
        found = re.search(
            rf'<link rel="{rel}" href="([^"]+)" sizes="{size}x{size}"', html
        )
        assert found, rel
        response = client.get(found[1])
        assert response.status_code == 200, found[1]
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        with Image.open(io.BytesIO(body)) as icon:
            assert icon.size == (size, size)
