"""Editors and moderators see the audience reports."""

from django.db import migrations

from aqparat.core.migration_helpers import grant_to_groups


def grant(apps, schema_editor):
    grant_to_groups(
        apps,
        app_label="analytics",
        model="viewfold",
        permissions={"view_audience": "See the audience reports"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_audience_permission"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
