"""Code the data migrations share. Migrations call it with their historical `apps`,
so it must only use what it is given, never the current models."""

from __future__ import annotations

from typing import Any

EDITOR_GROUPS = ("Editors", "Moderators")  # Wagtail's default groups


def permission_ensure(
    apps: Any, *, app_label: str, model: str, codename: str, name: str = ""
) -> Any:
    """The permission, created if need be (a data migration may run before Django's
    post_migrate creates it), named `name` or as Django would name it."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": name or _django_name(apps, app_label, model, codename)},
    )
    return permission


def _django_name(apps: Any, app_label: str, model: str, codename: str) -> str:
    """Django's wording, "Can add breaking news banner"."""
    try:
        verbose_name = apps.get_model(app_label, model)._meta.verbose_name
    except LookupError:  # not a model (wagtailadmin's "admin")
        return codename.replace("_", " ").capitalize()
    return f"Can {codename.split('_', 1)[0]} {verbose_name}"


def grant_to_groups(
    apps: Any, *, app_label: str, model: str, permissions: dict[str, str],
    groups: tuple[str, ...] = EDITOR_GROUPS,
) -> None:  # fmt: skip
    """Create `permissions` ({codename: name}) on `model` if need be and give them to
    `groups` (those that exist)."""
    group_model = apps.get_model("auth", "Group")
    granted = [
        permission_ensure(
            apps, app_label=app_label, model=model, codename=codename, name=name
        )
        for codename, name in permissions.items()
    ]
    for group in group_model.objects.filter(name__in=groups):
        group.permissions.add(*granted)
