"""An uploader may fix their own photo until it is public; after that, only editors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from wagtail.models import Collection

from aqparat.images.models import CustomImage
from aqparat.news.tests.factories import ArticlePageFactory, CustomImageFactory
from aqparat.newsroom.tests.factories import Desked, desked_build
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def desked() -> Desked:
    return desked_build()


def edit(image: CustomImage, **fields: str) -> dict[str, object]:
    return {"title": image.title, "collection": image.collection_id,
            "credit": image.credit, "alt_en": image.alt_en, **fields}  # fmt: skip


def test_a_journalist_fixes_their_own_photo_until_it_is_public(
    desked: Desked,
) -> None:
    photo = CustomImageFactory(
        uploaded_by_user=desked.journalist, credit="",
        collection=Collection.get_first_root_node(),
    )  # fmt: skip
    client = signed_in(desked.journalist)
    response = client.post(
        reverse("wagtailimages:edit", args=[photo.pk]), edit(photo, credit="MFA")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.credit == "MFA"

    ArticlePageFactory(parent=desked.news, lead_image=photo)  # now on a live page
    client.post(reverse("wagtailimages:edit", args=[photo.pk]),
                edit(photo, credit="", alt_en=""))  # fmt: skip
    client.post(reverse("wagtailimages:delete", args=[photo.pk]))
    client.post(
        reverse("wagtail_bulk_action", args=("wagtailimages", "image", "delete"))
        + f"?id={photo.pk}"
    )
    photo.refresh_from_db()  # still there, credit and alt text intact
    assert (photo.credit, photo.alt_en) == ("MFA", CustomImageFactory.alt_en)

    # An editor (a real "change" right) still corrects it.
    response = signed_in(desked.editor).post(
        reverse("wagtailimages:edit", args=[photo.pk]),
        edit(photo, credit="Ministry of Foreign Affairs"),
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.credit == "Ministry of Foreign Affairs"


def test_a_photo_in_a_live_articles_body_is_protected_too(
    desked: Desked, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    photo = CustomImageFactory(
        uploaded_by_user=desked.journalist, collection=Collection.get_first_root_node()
    )
    with django_capture_on_commit_callbacks(execute=True):  # the reference index
        ArticlePageFactory(parent=desked.news, body=[
            {"type": "image", "value": {"image": photo.pk, "caption": "", "credit": ""}}
        ])  # fmt: skip
    signed_in(desked.journalist).post(reverse("wagtailimages:delete", args=[photo.pk]))
    assert CustomImage.objects.filter(pk=photo.pk).exists()
