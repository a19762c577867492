"""Tag slugs are no longer unique: the tags that got a number suffix only because
another edition's tag had their slug ("Almaty" -> almaty-1 after "Алматы") take
their own slug back. Old suffixed addresses redirect (TagIndexPage.tag_detail)."""

from typing import Any

from django.db import migrations, models

from aqparat.translit.slugs import cyrillic_language, slug_for


def drop_suffixes(apps: Any, schema_editor: Any) -> None:
    tag_model = apps.get_model("news", "ArticleTag")
    for tag in tag_model.objects.all():
        own = slug_for(tag.name, language_code=cyrillic_language(tag.name))
        suffix = tag.slug.removeprefix(f"{own}-")
        if own and suffix != tag.slug and suffix.isdecimal():
            tag.slug = own
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_correction_time_defaults_to_now"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articletag",
            name="slug",
            field=models.SlugField(max_length=100, verbose_name="slug"),
        ),
        migrations.RunPython(drop_suffixes, migrations.RunPython.noop),
    ]
