"""Tag slugs are no longer unique: the tags that got a number suffix only because
another edition's tag had their slug ("Almaty" -> almaty-1 after "Алматы") take
their own slug back. Old suffixed addresses redirect (TagIndexPage.tag_detail).
Reversible: undone, the later tags at a shared slug take a suffix again."""

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


def restore_suffixes(apps: Any, schema_editor: Any) -> None:
    """Undone, slugs must be unique again before the unique index returns: the
    first tag at a slug keeps it, each later one takes the next free number, as
    taggit gave them ("almaty-1")."""
    tag_model = apps.get_model("news", "ArticleTag")
    taken = set(tag_model.objects.values_list("slug", flat=True))
    kept: set[str] = set()
    for tag in tag_model.objects.order_by("pk"):
        if tag.slug not in kept:
            kept.add(tag.slug)
            continue
        number = 1
        while f"{tag.slug}-{number}" in taken:
            number += 1
        tag.slug = f"{tag.slug}-{number}"
        taken.add(tag.slug)
        kept.add(tag.slug)
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
        migrations.RunPython(drop_suffixes, restore_suffixes),
    ]
