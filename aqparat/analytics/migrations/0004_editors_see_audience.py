"""Editors and moderators see the audience reports."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="analytics", model="viewfold"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_audience",
        defaults={"name": "See the audience reports"},
    )
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_audience_permission"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
