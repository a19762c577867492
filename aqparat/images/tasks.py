"""Background work of the media library, run by the huey consumer."""

from huey.contrib.djhuey import db_task

from aqparat.images.renditions import renditions_make


@db_task(retries=2, retry_delay=30)
def renditions_prepare(image_ids: list[int]) -> None:
    renditions_make(image_ids=image_ids)
