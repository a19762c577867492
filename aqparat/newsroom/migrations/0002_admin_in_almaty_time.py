"""Everyone's admin in Almaty time.

WAGTAIL_USER_TIME_ZONES now allows only Asia/Almaty, which hides the account's
time-zone choice, but Wagtail still applies a zone a user chose before. Clearing it
means go-live, expiry and embargo times are read as Almaty times for everyone.
"""

from typing import Any

from django.db import migrations


def zones_clear(apps: Any, schema_editor: Any) -> None:
    profile_model = apps.get_model("wagtailusers", "UserProfile")
    profile_model.objects.exclude(current_time_zone="").update(current_time_zone="")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_newsroom_roles"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(zones_clear, migrations.RunPython.noop)]
