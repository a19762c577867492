"""Editors and moderators see the Telegram report and may retry, resend or cancel."""

from django.db import migrations

GROUPS = ("Editors", "Moderators")
CODENAMES = ("view_telegrampost", "manage_telegrampost")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="telegram", model="telegrampost"
    )
    permissions = []
    for codename, name in (
        ("view_telegrampost", "Can view Telegram post"),
        ("manage_telegrampost", "Retry, resend or cancel posts"),
    ):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("telegram", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
