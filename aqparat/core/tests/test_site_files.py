"""Files browsers ask for at the site's root, without a page."""

from __future__ import annotations

import io

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
