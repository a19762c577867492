"""Media on S3-compatible object storage (issue 17, item 3): photos, their
renditions and documents go to the bucket through django-storages, tested at the
wire against moto's S3 server on 127.0.0.1."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.test import Client, override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from aqparat.core.tests.test_media_privacy import a_document
from aqparat.core.tests.test_readiness import TOKEN
from aqparat.core.tests.test_settings import python
from aqparat.images.models import CustomImage

pytestmark = pytest.mark.django_db
BUCKET = "aqparat-media"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def s3() -> Iterator[tuple[str, Any]]:
    """moto's S3 server on a free port, with the bucket; the endpoint and a client."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.stop()


def _storage_settings(endpoint: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": endpoint,
                "region_name": "us-east-1", "access_key": "testing",
                "secret_key": "testing", "custom_domain": "media.example.kz",
                "querystring_auth": False, "default_acl": None,
                "file_overwrite": False,
            },
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }  # fmt: skip


def _keys(client: Any) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (12, 80, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photos_renditions_and_documents_live_in_the_bucket(
    s3: tuple[str, Any],
) -> None:
    endpoint, client = s3
    with override_settings(STORAGES=_storage_settings(endpoint)):
        assert type(storages["default"]).__name__ == "S3Storage"
        photo = ImageFile(io.BytesIO(_jpeg()), name="summit.jpg")
        image = CustomImage(title="Summit", credit="MFA", file=photo)
        image.save()
        rendition = image.get_rendition("fill-320x180")
        document = a_document("minutes.txt", b"The minutes of the session.")
        keys = _keys(client)
        # The original, the rendition and the document: in the bucket, not on disk.
        assert image.file.name in keys and image.file.name.endswith("_summit.jpg")
        assert image.file.name.startswith("original_images/")
        assert rendition.file.name in keys
        assert rendition.file.name.startswith("images/")
        assert document.file.name in keys
        # Another node reads the same rendition back from the bucket.
        body = client.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"]
        assert Image.open(io.BytesIO(body.read())).size == (320, 180)
        # Pages point readers at the CDN's address, which cached pages can keep.
        assert rendition.url == f"https://media.example.kz/{rendition.file.name}"
        # A document still goes through the application (its privacy, its headers).
        answer = Client().get(document.url)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment")
        assert b"".join(answer.streaming_content) == b"The minutes of the session."  # type: ignore[attr-defined]


@override_settings(AQPARAT_HEALTH_TOKEN=TOKEN)
def test_readiness_asks_the_bucket(s3: tuple[str, Any]) -> None:
    endpoint, client = s3
    with override_settings(STORAGES=_storage_settings(endpoint)):
        ready = Client().get(
            reverse("readyz"), headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert ready.json()["checks"]["storage"] is True
        for key in _keys(client):  # moto keeps one state for the whole process
            client.delete_object(Bucket=BUCKET, Key=key)
        client.delete_bucket(Bucket=BUCKET)
        gone = Client().get(
            reverse("readyz"), headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert gone.status_code == 503 and gone.json()["checks"]["storage"] is False


def test_a_bucket_in_the_environment_puts_media_on_object_storage() -> None:
    env = {"AQPARAT_MEDIA_BUCKET": "el-media", "AQPARAT_MEDIA_REGION": "kz-ala-1",
           "AQPARAT_MEDIA_ENDPOINT_URL": "https://s3.example.kz",
           "AQPARAT_MEDIA_CUSTOM_DOMAIN": "media.example.kz"}  # fmt: skip
    script = (
        "from django.conf import settings as s\n"
        "o = s.STORAGES['default']\n"
        "print(o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['region_name'],"
        " o['OPTIONS']['endpoint_url'], o['OPTIONS']['custom_domain'],"
        " o['OPTIONS']['querystring_auth'])"
    )
    out = python("aqparat.settings.dev", env, script)
    assert out.stdout.split() == [
        "storages.backends.s3.S3Storage", "el-media", "kz-ala-1",
        "https://s3.example.kz", "media.example.kz", "False",
    ], out.stderr  # fmt: skip
    local = python("aqparat.settings.dev", {}, script.replace("o['OPTIONS']", "{}"))
    assert "FileSystemStorage" in local.stdout or "KeyError" in local.stderr


CSP_IMG_SRC = (
    "from django.conf import settings as s;"
    "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']));"
    "print(' '.join(s.AQPARAT_CSP_ADMIN_POLICY['DIRECTIVES']['img-src']))"
)


@pytest.mark.parametrize(
    ("env", "origin"),
    [
        ({"AQPARAT_MEDIA_CUSTOM_DOMAIN": "media.example.kz"}, "https://media.example.kz"),
        ({"AQPARAT_MEDIA_ENDPOINT_URL": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000"),
        ({"AQPARAT_MEDIA_REGION": "eu-central-1"},
         "https://aqparat-media.s3.eu-central-1.amazonaws.com"),
    ],
)  # fmt: skip
def test_photos_from_the_bucket_are_allowed_by_both_policies(
    tmp_path: Any, env: dict[str, str], origin: str
) -> None:
    """Naming a bucket is enough: readers' pages and the admin may load its photos
    (the two-node test saw every photo blocked before)."""
    env = {"AQPARAT_VAR_DIR": str(tmp_path), "AQPARAT_MEDIA_BUCKET": BUCKET, **env}
    public, admin = python("aqparat.settings.dev", env, CSP_IMG_SRC).stdout.splitlines()
    assert origin in public.split() and origin in admin.split()
    assert public.split()[:2] == ["'self'", "data:"]


def test_local_media_add_no_origin(tmp_path: Any) -> None:
    env = {"AQPARAT_VAR_DIR": str(tmp_path)}
    public, admin = python("aqparat.settings.dev", env, CSP_IMG_SRC).stdout.splitlines()
    assert public == "'self' data:" and admin == "'self' data: blob:"
