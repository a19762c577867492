"""Editors and moderators see the Telegram report and may retry, resend or cancel."""

from django.db import migrations

from aqparat.core.migration_helpers import grant_to_groups


def grant(apps, schema_editor):
    grant_to_groups(
        apps,
        app_label="telegram",
        model="telegrampost",
        permissions={
            "view_telegrampost": "Can view Telegram post",
            "manage_telegrampost": "Retry, resend or cancel posts",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("telegram", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
