"""Keep the Kazakh Latin edition in step with the Cyrillic one.

Each published Kazakh (Cyrillic) page has a Wagtail alias in the `kk-latn` locale, made
with `copy_for_translation(alias=True)`: it shares the page's translation key (so the
language switcher and hreflang find it), its slug (already ASCII from our Kazakh slug
table) and, through Wagtail's alias machinery, every later publication of the page.
What Wagtail does not carry over to aliases in another tree, this module does: moves,
unpublishing and deletion. The Latin text itself is produced when a page is served
(middleware.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page


def _latin_locale() -> Locale:
    return Locale.objects.get_or_create(language_code=settings.LATIN_EDITION_LANGUAGE)[
        0
    ]


def _is_latin_source(page: Page) -> bool:
    return bool(
        page.locale.language_code == settings.LATIN_EDITION_SOURCE_LANGUAGE
        and page.alias_of_id is None
    )


def latin_edition_page(*, page: Page) -> Page | None:
    """The Latin alias of a Cyrillic Kazakh page, if it has one."""
    return (
        Page.objects.filter(
            translation_key=page.translation_key,
            locale__language_code=settings.LATIN_EDITION_LANGUAGE,
        )
        .exclude(pk=page.pk)
        .first()
    )


@transaction.atomic
def latin_edition_sync(*, page: Page) -> Page | None:
    """Make sure a published Cyrillic Kazakh page has its Latin alias (and so do its
    ancestors); Wagtail then updates the alias on every publication."""
    if not _is_latin_source(page) or page.is_root() or not page.live:
        # Wagtail also signals page_published when it only *schedules* a page.
        return None
    existing = latin_edition_page(page=page)
    if existing is not None:
        return existing
    alias = page.copy_for_translation(_latin_locale(), copy_parents=True, alias=True)
    # The alias is the system's, not the writer's: an owner could convert it into
    # a page of their own and cut it off from corrections.
    Page.objects.filter(pk=alias.pk).update(owner=None)
    return alias


@transaction.atomic
def latin_edition_unpublish(*, page: Page) -> None:
    latin = latin_edition_page(page=page) if _is_latin_source(page) else None
    if latin is not None and latin.live:
        latin.specific.unpublish(log_action=None)


@transaction.atomic
def latin_edition_move(*, page: Page) -> None:
    """After a Cyrillic page moved, move its alias under the new parent's alias."""
    latin = latin_edition_page(page=page) if _is_latin_source(page) else None
    if latin is None:
        return
    new_parent = latin_edition_page(page=page.get_parent())
    if new_parent is not None and latin.get_parent().pk != new_parent.pk:
        latin.move(new_parent, pos="last-child")


def latin_edition_delete(*, page: Page) -> None:
    latin = latin_edition_page(page=page) if _is_latin_source(page) else None
    if latin is not None:
        latin.delete()
