"""Create the newsroom's roles as groups with their permissions.

Wagtail's install creates "Moderators" (publish everywhere) and "Editors" (edit
everywhere) with a "Moderators approval" workflow on the whole tree. The newsroom
renames Moderators to Chief editors (keeping every permission granted to them so far),
takes site-wide page rights away from Editors (they get them per desk), and adds
Journalists and Administrators.
"""

from typing import Any

from django.db import migrations

from aqparat.core.migration_helpers import permission_ensure
from aqparat.newsroom import roles


def _permission(apps: Any, app_label: str, model: str, codename: str) -> Any:
    return permission_ensure(
        apps, app_label=app_label, model=model, codename=codename
    )


def roles_create(apps: Any, schema_editor: Any) -> None:
    group_model = apps.get_model("auth", "Group")
    page_model = apps.get_model("wagtailcore", "Page")
    collection_model = apps.get_model("wagtailcore", "Collection")
    page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    collection_permission_model = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    task_model = apps.get_model("wagtailcore", "Task")
    workflow_model = apps.get_model("wagtailcore", "Workflow")

    moderators = group_model.objects.filter(name="Moderators").first()
    if moderators and not group_model.objects.filter(name=roles.CHIEF_EDITORS).exists():
        moderators.name = roles.CHIEF_EDITORS
        moderators.save()
        task_model.objects.filter(name="Moderators approval").update(
            name="Chief editors' approval"
        )
        workflow_model.objects.filter(name="Moderators approval").update(
            name="Editorial review"
        )

    root_page = page_model.objects.filter(depth=1).first()
    root_collection = collection_model.objects.filter(depth=1).first()
    for name in (roles.JOURNALISTS, roles.EDITORS, roles.CHIEF_EDITORS,
                 roles.ADMINISTRATORS):  # fmt: skip
        group, _ = group_model.objects.get_or_create(name=name)
        if root_page is not None:
            page_permission_model.objects.filter(group=group, page=root_page).delete()
            for kind in roles.PAGE_PERMISSIONS[name]:
                page_permission_model.objects.create(
                    group=group, page=root_page,
                    permission=_permission(apps, "wagtailcore", "page", f"{kind}_page"),
                )  # fmt: skip
        if root_collection is not None:
            for codename in roles.COLLECTION_PERMISSIONS[name]:
                app_label, model = {
                    "image": ("wagtailimages", "image"),
                    "document": ("wagtaildocs", "document"),
                    "collection": ("wagtailcore", "collection"),
                }[codename.split("_", 1)[1]]
                collection_permission_model.objects.get_or_create(
                    group=group, collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )  # fmt: skip
        for app_label, model, codename in roles.MODEL_PERMISSIONS.get(name, ()):
            group.permissions.add(_permission(apps, app_label, model, codename))


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailadmin", "0006_formstate"),
        ("news", "0004_breaking_banner"),
        ("core", "0002_ticker_currencies"),
        ("telegram", "0003_claims_and_rate_limits"),
        ("analytics", "0004_editors_see_audience"),
    ]

    operations = [migrations.RunPython(roles_create, migrations.RunPython.noop)]
