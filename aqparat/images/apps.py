from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


class ImagesConfig(AppConfig):
    name = "aqparat.images"
    label = "images"

    def ready(self) -> None:
        from aqparat.images.models import CustomImage

        post_save.connect(
            _image_saved, sender=CustomImage, dispatch_uid="images-renditions"
        )
        _media_policies_register()


def _media_policies_register() -> None:
    """Photos and documents on live pages are the editors' (images/permissions.py).
    Registered for the exact classes: Wagtail's own registrations (made later, in
    its apps' ready()) are for the class and its subclasses, and the exact-class
    entry is the one the registry consults first."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    from aqparat.images.permissions import PublishedMediaPermissionPolicy

    media = [
        (get_image_model(), "wagtailimages.Image"),
        (get_document_model(), "wagtaildocs.Document"),
    ]
    for model, auth_model in media:
        register_permission_policy(
            model,
            PublishedMediaPermissionPolicy(
                model, auth_model=auth_model, owner_field_name="uploaded_by_user"
            ),
            exact_class=True,
        )


def _image_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A new or changed photo (file, focal point) gets its page renditions made in the
    background once the save commits."""
    from aqparat.images.tasks import renditions_prepare

    image_id = instance.pk
    transaction.on_commit(lambda: renditions_prepare([image_id]))
