"""Media privacy (issue 16, class 4): documents are read only through Wagtail's
document view, with its privacy checks, as downloads no page of our origin can
become; originals of photos are never served; production settings serve no media
from the application at all."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import clear_url_caches
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import aqparat.urls
from aqparat.core.tests.test_settings import GOOD, python
from aqparat.news.tests.factories import CustomImageFactory

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"
PASSWORD = "a shared password"  # noqa: S105


def _reload_urls() -> None:
    importlib.reload(aqparat.urls)
    clear_url_caches()


@pytest.fixture
def urls_as_in_production() -> Iterator[None]:
    """The site's URLs as production settings build them: AQPARAT_SERVE_MEDIA off."""
    try:
        with override_settings(AQPARAT_SERVE_MEDIA=False):
            _reload_urls()
            yield
    finally:
        _reload_urls()  # as the test settings build them


def body(response: Any) -> bytes:
    """The whole body; read to its end, a streamed file is closed by the test client
    (closing it again would close the test's database connection)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def a_collection(name: str, restriction: str | None = None) -> Collection:
    collection = Collection.get_first_root_node().add_child(name=name)
    if restriction == CollectionViewRestriction.LOGIN:
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=restriction
        )
    elif restriction == CollectionViewRestriction.PASSWORD:
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=restriction, password=PASSWORD
        )
    return collection


def a_document(name: str, content: bytes, collection: Collection | None = None) -> Any:
    Document = get_document_model()
    return Document.objects.create(
        title=name,
        file=ContentFile(content, name=name),
        collection=collection or Collection.get_first_root_node(),
    )


def assert_a_sandboxed_download(response: Any, filename: str) -> None:
    assert response.status_code == 200
    assert response.streaming  # Wagtail streams the file: no redirect to /media/
    assert response["Content-Disposition"].startswith("attachment"), response[
        "Content-Disposition"
    ]
    assert filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # Ours, not replaced by the site's policy (django-csp's middleware).
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"] == "private, no-cache"


# --- The application's /media/ ----------------------------------------------------


def test_production_settings_serve_no_media_unless_asked() -> None:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n"
        "    resolve('/media/images/photo.fill-640x360.webp'); served = True\n"
        "except Resolver404:\n"
        "    served = False\n"
        "print(settings.AQPARAT_SERVE_MEDIA, served)"
    )
    off = python("aqparat.settings.production", GOOD, script)
    assert off.stdout.split() == ["False", "False"], off.stderr
    asked = {**GOOD, "AQPARAT_SERVE_MEDIA": "on"}
    on = python("aqparat.settings.production", asked, script)
    assert on.stdout.split() == ["True", "True"], on.stderr


@pytest.mark.django_db
def test_without_media_serving_the_app_answers_no_upload(
    urls_as_in_production: None,
) -> None:
    image = CustomImageFactory()
    rendition = image.get_rendition("fill-640x360|format-webp")
    assert Client().get(rendition.url).status_code == 404
    assert Client().get(image.file.url).status_code == 404


@pytest.mark.django_db
def test_renditions_are_served_never_sniffed_and_originals_never() -> None:
    image = CustomImageFactory()
    rendition = image.get_rendition("fill-640x360|format-webp")
    client = Client()

    served = client.get(rendition.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == SANDBOX
    assert body(served).startswith(b"RIFF")

    original = image.file.url
    assert original.startswith("/media/original_images/")
    assert client.get(original).status_code == 404
    # Nor by a detour through a public folder, percent-encoded or not.
    name = original.rsplit("/", 1)[1]
    for detour in (
        f"/media/images/../original_images/{name}",
        f"/media/images/%2E%2E/original_images/{name}",
        f"/media//original_images/{name}",
    ):
        assert client.get(detour).status_code == 404, detour


@pytest.mark.django_db
def test_documents_are_never_served_from_media() -> None:
    public = a_document("report.pdf", b"%PDF-1.4 public")
    private = a_document(
        "minutes.pdf", b"%PDF-1.4 private", a_collection("Board", "login")
    )
    for document in (public, private):
        assert document.file.url.startswith("/media/documents/")
        assert Client().get(document.file.url).status_code == 404
        # Links to a document name Wagtail's view, never the file.
        assert document.url == f"/documents/{document.pk}/{document.filename}"


# --- Wagtail's document view ------------------------------------------------------


@pytest.mark.django_db
def test_a_document_of_a_private_collection_is_for_signed_in_users_only() -> None:
    document = a_document(
        "minutes.pdf", b"%PDF-1.4 private", a_collection("Board", "login")
    )
    anonymous = Client().get(document.url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].endswith(f"login/?next={document.url}")
    assert anonymous["Cache-Control"] == "private, no-cache"  # no cache keeps it

    reader = get_user_model().objects.create_user("reader", "reader@example.com")
    client = Client()
    client.force_login(reader)
    signed_in = client.get(document.url)
    assert_a_sandboxed_download(signed_in, document.filename)
    assert body(signed_in) == b"%PDF-1.4 private"


@pytest.mark.django_db
def test_a_password_collection_asks_then_serves_a_download() -> None:
    collection = a_collection("Embargoed", "password")
    document = a_document("plan.pdf", b"%PDF-1.4 plan", collection)
    client = Client()
    form = client.get(document.url)
    assert form.status_code == 200
    assert b"%PDF" not in body(form)
    assert form["Cache-Control"] == "private, no-cache"
    # The form is a page of the site, under the site's policy: it can be submitted.
    assert "sandbox" not in form.get("Content-Security-Policy", "")

    restriction = CollectionViewRestriction.objects.get(collection=collection)
    answer = client.post(
        f"/documents/authenticate_with_password/{restriction.pk}/",
        {"password": PASSWORD, "return_url": document.url},
    )
    assert answer.status_code == 302
    assert answer["Location"] == document.url
    assert answer["Cache-Control"] == "private, no-cache"
    assert_a_sandboxed_download(client.get(document.url), document.filename)
    assert Client().get(document.url).status_code == 200  # the form again
    assert not Client().get(document.url).streaming


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("page.html", b"<script>parent.alert(document.cookie)</script>", "text/html"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("report.pdf", b"%PDF-1.4 public", "application/pdf"),  # inline in Wagtail's
        ("notes.txt", b"plain", "text/plain"),
    ],
)
def test_no_document_is_ever_shown_inline_on_our_origin(
    name: str, content: bytes, content_type: str
) -> None:
    document = a_document(name, content)
    response = Client().get(document.url)
    assert_a_sandboxed_download(response, document.filename)
    assert response["Content-Type"].split(";")[0] == content_type
    assert body(response) == content
    # Even where a deployment asks Wagtail to show some types inline.
    with override_settings(WAGTAILDOCS_INLINE_CONTENT_TYPES=[content_type]):
        assert_a_sandboxed_download(Client().get(document.url), document.filename)


@pytest.mark.django_db
def test_a_repeated_download_answers_not_modified_with_the_same_headers() -> None:
    document = a_document("report.pdf", b"%PDF-1.4 public")
    first = Client().get(document.url)
    body(first)
    again = Client().get(document.url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"
    assert again["Content-Security-Policy"] == SANDBOX


# --- Names of photos --------------------------------------------------------------


@pytest.mark.django_db
def test_photo_files_and_their_renditions_carry_a_random_token() -> None:
    """A photo waiting for an embargoed story: its renditions are public files, so
    their names must not follow from the photo's own file name."""
    first, second = CustomImageFactory(), CustomImageFactory()
    names = []
    for image in (first, second):
        found = re.fullmatch(r"original_images/([0-9a-f]{12})_(.+)", image.file.name)
        assert found, image.file.name
        names.append(found.group(2))
        token = found.group(1)
        rendition = image.get_rendition("fill-1200x675|format-webp")
        assert rendition.file.name.startswith(f"images/{token}_"), rendition.file.name
    assert names[0] == names[1]  # the same upload's name, told apart by the tokens
    assert first.file.name != second.file.name
