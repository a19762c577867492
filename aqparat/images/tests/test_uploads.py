"""The media library refuses what is not a safe photo, with a message that says why."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from aqparat.images.models import CustomImage
from aqparat.news.tests.factories import administrator_build

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (12, 80, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bomb() -> bytes:
    """A tiny file that claims a huge canvas: 20 000 x 20 000 pixels of one colour."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)


def upload(name: str, data: bytes, content_type: str) -> tuple[int, str]:
    client = Client()
    client.force_login(administrator_build())
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Upload", "credit": "MFA", "alt_en": "A blue square", "collection": 1,
         "file": SimpleUploadedFile(name, data, content_type=content_type)},
    )  # fmt: skip
    return response.status_code, response.content.decode()


def test_a_photo_is_accepted() -> None:
    status, _html = upload("photo.jpg", jpeg(), "image/jpeg")
    assert status == 302
    assert CustomImage.objects.get().credit == "MFA"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("vector.svg", SVG, "image/svg+xml", "Not a supported image format"),
        ("page.jpg", HTML, "image/jpeg", "does not match the file format"),
        ("page.html", HTML, "text/html", "Not a supported image format"),
        ("bomb.png", png_bomb(), "image/png", "too many pixels"),
    ],
)
def test_unsafe_uploads_are_refused_with_a_message(
    name: str, data: bytes, content_type: str, message: str
) -> None:
    status, html = upload(name, data, content_type)
    assert status == 200
    assert message in html
    assert not CustomImage.objects.exists()


def test_an_oversized_upload_is_refused_with_a_message() -> None:
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10_000):
        status, html = upload("big.jpg", jpeg((800, 600)) + b"\0" * 20_000,
                              "image/jpeg")  # fmt: skip
    assert status == 200
    assert "This file is too big" in html
    assert not CustomImage.objects.exists()
