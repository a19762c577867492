"""Keep the Kazakh Latin edition in step with the Cyrillic one.

Each published Kazakh (Cyrillic) page has a Wagtail alias in the `kk-latn` locale, made
with `copy_for_translation(alias=True)`: it shares the page's translation key (so the
language switcher and hreflang find it), its slug (already ASCII from our Kazakh slug
table) and, through Wagtail's alias machinery, every later publication of the page.
What Wagtail does not carry over to aliases in another tree, this module does: moves,
unpublishing, deletion and view restrictions (privacy). The Latin text itself is
produced when a page is served (middleware.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, PageViewRestriction


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
    # copy_parents may have made aliases of restricted ancestors just now.
    restricted = PageViewRestriction.objects.filter(
        page__in=page.get_ancestors(inclusive=True)
    ).values_list("page_id", flat=True)
    for source in Page.objects.filter(pk__in=set(restricted)):
        latin_edition_restrictions_sync(page=source)
    return alias


def latin_edition_restrictions_sync(*, page: Page) -> None:
    """Give the Latin alias of `page` the view restrictions `page` itself carries.

    Wagtail checks a page's restrictions along its own tree, and the Latin edition is
    another tree: without this, a story made private in Kazakh stays public at
    /kk-latn/ and in every feed, sitemap, search and API answer built on `public()`.
    Restrictions inherited from an ancestor are mirrored on the ancestor's alias.
    """
    if not _is_latin_source(page):
        return
    latin = latin_edition_page(page=page)
    if latin is None:
        return
    PageViewRestriction.objects.filter(page=latin).delete()
    for rule in PageViewRestriction.objects.filter(page=page).prefetch_related(
        "groups"
    ):
        mirror = PageViewRestriction.objects.create(
            page=latin, restriction_type=rule.restriction_type, password=rule.password
        )
        mirror.groups.set(rule.groups.all())


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
