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


def _image_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A new or changed photo (file, focal point) gets its page renditions made in the
    background once the save commits."""
    from aqparat.images.tasks import renditions_prepare

    image_id = instance.pk
    transaction.on_commit(lambda: renditions_prepare([image_id]))
