"""Code the data migrations share. Migrations call it with their historical `apps`,
so it must only use what it is given, never the current models."""

from __future__ import annotations

from typing import Any

EDITOR_GROUPS = ("Editors", "Moderators")  # Wagtail's default groups


def grant_to_groups(
    apps: Any, *, app_label: str, model: str, permissions: dict[str, str],
    groups: tuple[str, ...] = EDITOR_GROUPS,
) -> None:  # fmt: skip
    """Create `permissions` ({codename: name}) on `model` if need be and give them to
    `groups` (those that exist)."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label=app_label, model=model
    )
    granted = [
        permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in permissions.items()
    ]
    for group in group_model.objects.filter(name__in=groups):
        group.permissions.add(*granted)
