"""Who may change or delete a photo or document once it is public.

Wagtail lets a user with only "add" permission change and delete what they uploaded.
In a newsroom that would let a journalist blank the credit of, swap or delete a photo
on a live article without review. The same rule holds here until the file is used by
a live page; from then on only those with the real "change" permission may.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)


class PublishedMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    def user_has_any_permission_for_instance(
        self, user: Any, actions: Sequence[str], instance: Any
    ) -> bool:
        allowed = super().user_has_any_permission_for_instance(user, actions, instance)
        if not allowed or not ({"change", "delete"} & set(actions)):
            return bool(allowed)
        if self._check_perm(user, ["change"], collection=instance.collection):
            return True  # a real editor's right, not the uploader's
        return not used_on_a_live_page(instance)


def used_on_a_live_page(instance: Any) -> bool:
    """Anywhere Wagtail's reference index has seen it on a live page: a page's own
    field (an article's lead photo: the index records foreign keys too), body
    blocks, other pages. So this app needs to know no page type of the apps above
    it (test_permissions: a photo becomes public as a live article's lead photo)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    ]
    return Page.objects.filter(pk__in=page_ids, live=True).exists()
