"""Reads of news content. Every listing states its query plan here (H8)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.http import HttpRequest
from django.utils import timezone, translation
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, PageViewRestriction
from wagtail.templatetags.wagtailcore_tags import richtext

from aqparat.core.cache import generation as cache_generation
from aqparat.core.cache import generation_key, generation_retire
from aqparat.core.pagecache import (
    ALL,
    edition_fragment_name,
    fragment_keys,
    retire,
    story,
)
from aqparat.core.restrictions import pages_public
from aqparat.core.sites import site_for_request
from aqparat.images.models import CustomImage
from aqparat.images.renditions import LEAD_RENDITIONS, LISTING_RENDITIONS
from aqparat.news.front_page import front_page_chosen
from aqparat.news.models import (
    ALL_EDITIONS,
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticlePageTag,
    ArticleSourceAttribution,
    ArticleTag,
    BreakingBanner,
    HomePage,
    SectionPage,
    TagIndexPage,
    TranslationSource,
    article_fragment_name,
    editions_fragment_name,
    related_fragment_name,
    section_nav_fragment_name,
)

HOME_LATEST_COUNT = 10
HOME_SECTION_COUNT = 4


NAV_CACHE_KEY = "news:edition-nav:v1:{language_code}"

PagesT = TypeVar("PagesT", bound=QuerySet[Any])


def site_root_url(*, request: HttpRequest) -> str:
    """The root URL of the Wagtail site serving `request` (no trailing slash): the
    one host of every absolute URL we print (canonical, og:url, hreflang, JSON-LD,
    feeds, sitemaps), so they agree whatever Host header reached us. Wagtail keeps
    the site on the request (page serving has already looked it up)."""
    site = site_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def page_url_for_request(*, page: Page, request: HttpRequest) -> str | None:
    """`page.get_url(request=request)`, worked out once a request for each page:
    the canonical URL, the JSON-LD and the share links all print it."""
    known: dict[int, str | None] = request.__dict__.setdefault("_aqparat_page_urls", {})
    if page.pk not in known:
        known[page.pk] = page.get_url(request=request)
    return known[page.pk]


def page_filter_visible(queryset: PagesT, *, now: datetime | None = None) -> PagesT:
    """The pages of `queryset` the public may see at `now`: the one visibility rule
    of feeds, sitemaps, the API, related stories and hreflang.

    Live; not expired (an expired page stays `live` until the publication pass runs);
    not at or below a page with a view restriction; an article not under embargo;
    and a Latin-edition alias only while its Cyrillic source is live, unexpired and
    unrestricted too (a restriction on the source does not reach the alias in the
    other tree). Conditions only: it costs no query of its own, unlike Wagtail's
    `public()`, which reads every view restriction first.
    """
    now = now or timezone.now()
    visible = (
        queryset.filter(live=True)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .exclude(_restricted())
        .exclude(alias_of__live=False)
        .exclude(alias_of__expire_at__lte=now)
        .exclude(_restricted("alias_of__path"))
    )
    if issubclass(queryset.model, ArticlePage):
        return visible.filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
    if queryset.model is Page:
        return visible.filter(
            Q(articlepage__isnull=True)
            | Q(articlepage__embargo_until__isnull=True)
            | Q(articlepage__embargo_until__lte=now)
        )
    return visible


NAV_CACHE_SECONDS = 300


@dataclass(frozen=True)
class ArticleDetail:
    """Everything the article page shows besides the page row itself."""

    breadcrumbs: list[NavItem]
    section: NavItem | None
    lead_image: CustomImage | None
    lead_caption: str
    authors: list[ArticleAuthor]
    sources: list[ArticleSourceAttribution]
    tags: list[TagLink]
    corrections: list[ArticleCorrection]
    counted_page_id: int  # whose views these are: a Latin alias counts its story's
    # When readers were last told the story changed: its latest correction or
    # update note, else its publication. What structured data calls dateModified.
    modified_at: datetime | None = None


@dataclass(frozen=True)
class TagLink:
    name: str
    url: str


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    path: str


@dataclass(frozen=True)
class EditionNav:
    """An edition's home, menu sections and tag index: read on every page, cached."""

    home: NavItem | None
    sections: tuple[NavItem, ...]
    tag_index_url: str | None

    def section_of(self, page: Page) -> NavItem | None:
        return next((s for s in self.sections if page.path.startswith(s.path)), None)


@dataclass
class SectionBlock:
    section: SectionPage
    articles: list[ArticlePage] = field(default_factory=list)


# What an article card (components/article_card.html) and its cache key read; the
# other 40-odd columns of a page row are not loaded for a listing (the home page's
# CPU on PostgreSQL went from 31 to 25 ms a render). A card that read another
# would cost a query each: test_listing_pages pins them.
CARD_FIELDS = (
    "title", "url_path", "path", "depth", "locale_id", "translation_key",
    "first_published_at", "lead", "lead_image_id", "content_type_id",
)  # fmt: skip


def article_list_for_listing(
    *, under: Page, tag: ArticleTag | None = None
) -> QuerySet[ArticlePage]:
    """Live, public, unexpired articles below `under`, newest first, for article
    cards (an expired story stays `live` until the publication pass runs, which may
    be stopped: the story itself is 404 by then, core.models.BasePage).

    Cards show the headline, lead, photo and time (`CARD_FIELDS`, nothing else).
    The photos are not fetched here: a card is usually a cached fragment (news_tags.
    article_cards), and the cards that must be rendered fetch theirs together
    (`listing_photos`), so a page of cards costs a fixed few queries either way.
    """
    articles = (
        pages_public(ArticlePage.objects.live())
        .descendant_of(under)
        .exclude(expire_at__lte=timezone.now())
        .only(*CARD_FIELDS)
        .order_by("-first_published_at", "-pk")
    )
    if tag is not None:  # every tag at its slug (editions share slugs), each once
        tagged = ArticlePageTag.objects.filter(tag__slug=tag.slug)
        articles = articles.filter(pk__in=tagged.values("content_object_id"))
    return articles


def listing_photos(articles: Iterable[ArticlePage]) -> dict[int, CustomImage]:
    """The lead photos of `articles` with their listing renditions: two queries."""
    ids = {article.lead_image_id for article in articles if article.lead_image_id}
    if not ids:
        return {}
    photos = CustomImage.objects.prefetch_renditions(*LISTING_RENDITIONS)
    return photos.in_bulk(ids)


def article_latest_change(*, under: Page) -> datetime | None:
    """When the newest live article below `under` was last published.

    The newest first, not `Max()`: PostgreSQL reads a maximum off an index only for
    a single table, and this one joins the article table, so `Max()` read every
    article of the edition (124 ms at 140 000, docs/subsystems/scale.md). In this
    order it reads the index on `last_published_at` backwards
    (news.0013_page_last_published_index) and stops at the first article below
    `under`."""
    return (
        ArticlePage.objects.live()
        .descendant_of(under)
        .exclude(last_published_at=None)
        .order_by("-last_published_at")
        .values_list("last_published_at", flat=True)
        .first()
    )


def home_page_blocks(*, home: HomePage) -> dict[str, Any]:
    """The home page: lead story, latest list and one block per section. The
    stories editors chose lead, in their order (news.front_page); the newest
    follow."""
    listing = article_list_for_listing(under=home)
    chosen = front_page_chosen(home=home, listing=listing)
    newest = listing[: HOME_LATEST_COUNT + 1 + len(chosen)]
    shown = {article.pk for article in chosen}
    latest = [*chosen, *(a for a in newest if a.pk not in shown)]
    latest = latest[: HOME_LATEST_COUNT + 1]
    blocks = {
        section.path: SectionBlock(section=section)
        for section in SectionPage.objects.child_of(home).live().in_menu()
    }
    # A story shows once: the section blocks skip what leads or is in the latest
    # list, so they read enough of each section's newest to fill up after that.
    shown = {article.pk for article in latest}
    per_section = HOME_SECTION_COUNT + len(shown)
    sections = [block.section for block in blocks.values()]
    for article in _newest_per_section(sections=sections, count=per_section):
        block = blocks[article.path[: len(home.path) + Page.steplen]]
        if article.pk not in shown and len(block.articles) < HOME_SECTION_COUNT:
            block.articles.append(article)
    return {
        "lead_story": latest[0] if latest else None,
        "latest": latest[1:],
        "section_blocks": [block for block in blocks.values() if block.articles],
    }


def _newest_per_section(
    *, sections: list[SectionPage], count: int
) -> list[ArticlePage]:
    """The newest `count` articles of each of `sections`, in one query: the union of
    each section's newest, each read off the publication-time index until it has
    `count`. (A window function ranking every article below the home page cost as
    much as the archive: 274 ms at 140 000 articles, docs/subsystems/scale.md.)"""
    # Each part picks its section's newest ids in a subquery (SQLite takes no
    # LIMIT at the top of a UNION's parts), then the rows are put in order here.
    parts = [
        ArticlePage.objects.filter(
            pk__in=article_list_for_listing(under=section).values("pk")[:count]
        )
        .only(*CARD_FIELDS)
        .order_by()
        for section in sections
    ]
    if not parts:
        return []
    rows = list(parts[0].union(*parts[1:], all=True))
    return sorted(rows, key=lambda a: (a.first_published_at, a.pk), reverse=True)


def article_detail(*, article: ArticlePage, language_code: str) -> ArticleDetail:
    """The related rows of one article, each fetched once."""
    lead_image = None
    if article.lead_image_id:
        # With the renditions its page shows (made at save and publish,
        # images/renditions.py): kept in the article's fragment, they cost a render
        # no read of Wagtail's rendition cache. A change of the photo (its file,
        # focal point, credit) retires every page and fragment (news/apps.py).
        lead_image = (
            CustomImage.objects.prefetch_renditions(*LEAD_RENDITIONS)
            .filter(pk=article.lead_image_id)
            .first()
        )
        if lead_image is not None:
            _renditions_complete(lead_image)
    nav = edition_nav(language_code=language_code)
    section = nav.section_of(article)
    tags = ArticleTag.objects.filter(article_links__content_object=article)
    corrections = list(article.corrections.order_by("noted_at", "pk"))
    return ArticleDetail(
        counted_page_id=article.alias_of_id or article.pk,
        breadcrumbs=[item for item in (nav.home, section) if item is not None],
        section=section,
        lead_image=lead_image,
        lead_caption=article.lead_image_caption
        or (lead_image.caption_in(language_code) if lead_image else ""),
        authors=_localized(
            list(article.article_authors.select_related("author")), "author", article
        ),
        sources=_localized(
            list(article.source_attributions.select_related("source")),
            "source",
            article,
        ),
        tags=[
            TagLink(name=tag.name, url=f"{nav.tag_index_url}{tag.slug}/")
            for tag in tags
            if nav.tag_index_url
        ],
        corrections=corrections,
        modified_at=max(
            [c.noted_at for c in corrections], default=article.first_published_at
        ),
    )


def _renditions_complete(image: CustomImage) -> None:
    """Make what the prefetch did not find (a reader before the worker made them),
    so the fragment holds every rendition: with a prefetch, Wagtail takes a missing
    one as never made and makes its file again at every render that asks."""
    try:
        image.get_renditions(*LEAD_RENDITIONS)  # adds what it makes to the prefetch
    except SourceImageIOError:
        pass  # the page's image tags say so in their own way


@dataclass(frozen=True)
class StoryLink:
    """What a headline link to a story shows: kept in the cache, not the page."""

    title: str
    url: str | None
    first_published_at: datetime | None


def article_list_related(*, article: ArticlePage, limit: int) -> list[ArticlePage]:
    """Up to `limit` stories to read next, in one query.

    Candidates are the visible articles (`page_filter_visible`) of the same edition
    (locale) that share at least one tag with `article` or stand in its section;
    never `article` itself. Ranking: more shared tags first, then the same section
    before other sections, then the newest first (ties by id, newest first). Only
    what a headline link needs is read: the body is deferred and no photo is loaded.
    """
    section_path = article.path[: -Page.steplen]
    article_tags = ArticlePageTag.objects.filter(content_object=article).values("tag")
    tagged = ArticlePageTag.objects.filter(tag__in=article_tags)
    tagged_ids = tagged.values("content_object")
    # Narrow to the candidates first (an indexed path prefix or the tag links),
    # so the ranking subqueries run on them only, not on the whole edition.
    candidates = ArticlePage.objects.filter(locale_id=article.locale_id).filter(
        Q(path__startswith=section_path) | Q(pk__in=tagged_ids)
    )
    return list(
        page_filter_visible(candidates)
        .exclude(pk=article.pk)
        .defer_streamfields()
        .annotate(**_relatedness(article, section_path, article_tags))
        .order_by("-shared_tags", "-same_section", "-first_published_at", "-pk")[:limit]
    )


# A site-relative address in rendered HTML: href="/…" or src="/…" (not "//host").
_SITE_RELATIVE = re.compile(r"""(\s(?:href|src)=["'])/(?!/)""")


def article_body_html(*, article: ArticlePage) -> str:
    """The body as the article page renders it, in the article's language, for
    readers elsewhere (the API, full-text feeds).

    Rich text goes through Wagtail's `richtext`, so page links and embedded images
    come out as real `<a href>` and `<img>`, never the stored `<a linktype="page"
    id="12">` / `<embed embedtype="image">` markup; other blocks render with their
    templates. Site-relative href/src become absolute on the article's Wagtail
    site root (the host of canonical URLs and sitemaps).
    """
    language = article.locale.language_code
    if language == settings.LATIN_EDITION_LANGUAGE:
        language = settings.LATIN_EDITION_SOURCE_LANGUAGE
    with translation.override(language):
        html = "\n".join(
            str(richtext(block.value))
            if block.block_type == "paragraph"
            else str(block.render_as_block())
            for block in article.body
        )
    parts = article.get_url_parts()
    root_url = parts[1] if parts else None
    if not root_url:
        return html
    return _SITE_RELATIVE.sub(lambda m: f"{m.group(1)}{root_url}/", html)


def _relatedness(
    article: ArticlePage, section_path: str, article_tags: QuerySet[Any]
) -> dict[str, Any]:
    """Per candidate: how many of `article`'s tags it carries (a subquery), and 1
    when it stands in the same section (its path begins with the section's)."""
    shared = (
        ArticlePageTag.objects.filter(content_object=OuterRef("pk"))
        .filter(tag__in=article_tags)
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "shared_tags": Coalesce(Subquery(shared, output_field=IntegerField()), 0),
        "same_section": Case(
            When(path__startswith=section_path, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    }


def _restricted(path: str = "path") -> Exists:
    """At or below a page with a view restriction: Wagtail's `public()` in the same
    query (`public()` reads the restrictions in a query of its own). For an alias,
    `path="alias_of__path"` asks about its source (none: no row, so False)."""
    return Exists(
        PageViewRestriction.objects.filter(
            StartsWith(
                ExpressionWrapper(OuterRef(path), output_field=CharField()),
                F("page__path"),
            )
        )
    )


def _localized(rows: list[Any], field: str, article: ArticlePage) -> list[Any]:
    """Point each row's author or source at its version in the article's language.

    A translation copied in the admin still refers to the original language's
    snippets; where a translated snippet exists, readers see it. Costs a query only
    when some row needs it.
    """
    targets = [getattr(row, field) for row in rows]
    if article.alias_of_id or all(t.locale_id == article.locale_id for t in targets):
        return rows  # an alias (the Latin edition) shows its source's snippets
    model = type(targets[0])
    localized = {
        t.translation_key: t
        for t in model.objects.filter(
            translation_key__in=[t.translation_key for t in targets],
            locale_id=article.locale_id,
        )
    }
    for row, target in zip(rows, targets, strict=True):
        setattr(row, field, localized.get(target.translation_key, target))
    return rows


def tag_get(*, slug: str, under: Page) -> ArticleTag | None:
    """The tag at `slug` for the edition below `under`, for its name: tags of
    several editions share a slug ("Алматы", "Almaty"), so the one this edition's
    stories use most, else (no story yet) any."""
    tags = ArticleTag.objects.filter(slug=slug)
    in_edition = ArticlePage.objects.descendant_of(under).values("pk")
    return (
        tags.annotate(
            used=Count(
                "article_links",
                filter=Q(article_links__content_object__in=in_edition),
            )
        )
        .order_by("-used", "pk")
        .first()
    )


def tag_list_for_edition(*, under: Page, limit: int = 100) -> list[ArticleTag]:
    """The edition's most used tag pages with their article counts: one entry per
    slug (two tags used in one edition may share it, "Алматы" and "Almaty"), named
    as the tag the edition uses most there, each story counted once."""
    live_ids = (
        pages_public(ArticlePage.objects.live()).descendant_of(under).values("pk")
    )
    links = ArticlePageTag.objects.filter(content_object__in=live_ids)
    most_used_name = (
        links.filter(tag__slug=OuterRef("tag__slug"))
        .values("tag_id", "tag__name")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tag_id")
        .values("tag__name")[:1]
    )
    rows = (
        links.values("tag__slug")
        .annotate(
            article_count=Count("content_object", distinct=True),
            name=Subquery(most_used_name),
        )
        .order_by("-article_count", "tag__slug")[:limit]
    )
    tags = []
    for row in rows:
        tag = ArticleTag(name=row["name"], slug=row["tag__slug"])
        tag.article_count = row["article_count"]
        tags.append(tag)
    return tags


def edition_nav(*, language_code: str) -> EditionNav:
    """The edition's navigation, from the cache; one query when cold.

    Publishing or unpublishing a home, section or tag index clears it (news/apps.py).
    """
    key = NAV_CACHE_KEY.format(language_code=language_code)
    nav: EditionNav | None = cache.get(key)
    if nav is None:
        nav = _edition_nav_from_db(language_code=language_code)
        cache.set(key, nav, NAV_CACHE_SECONDS)
    return nav


def _edition_nav_from_db(*, language_code: str) -> EditionNav:
    pages = list(
        Page.objects.live()
        .filter(locale__language_code=language_code)
        .filter(Q(depth=2) | Q(depth=3))
        .select_related("content_type")
        .order_by("path")
    )
    items = {
        page.pk: NavItem(title=page.title, url=page.url or "", path=page.path)
        for page in pages
    }
    home = next(
        (p for p in pages if p.depth == 2 and p.specific_class is HomePage), None
    )
    children = [
        p for p in pages if home and p.depth == 3 and p.path.startswith(home.path)
    ]
    tag_index = next((p for p in children if p.specific_class is TagIndexPage), None)
    return EditionNav(
        home=items[home.pk] if home else None,
        sections=tuple(
            items[p.pk]
            for p in children
            if p.show_in_menus and p.specific_class is SectionPage
        ),
        tag_index_url=items[tag_index.pk].url if tag_index else None,
    )


def edition_nav_clear(*, language_code: str) -> None:
    cache.delete(NAV_CACHE_KEY.format(language_code=language_code))


OG_LOCALES = {"kk": "kk_KZ", "kk-latn": "kk_KZ", "ru": "ru_KZ", "en": "en_US"}


@dataclass(frozen=True)
class EditionLink:
    """One language edition of what the reader is looking at."""

    language_code: str
    name: str
    url: str
    exists: bool
    current: bool

    @property
    def bcp47(self) -> str:
        return language_tag(self.language_code)

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.language_code, "")


def language_tag(language_code: str) -> str:
    """BCP 47 spelling of a Django language code: kk-latn -> kk-Latn."""
    language, _, script = language_code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else language_code


@dataclass(frozen=True)
class Editions:
    """What the switcher, hreflang and OpenGraph need to know about other editions."""

    links: list[EditionLink]
    alternates: list[tuple[str, str]]  # (hreflang, path), x-default last
    og_locale: str
    og_locale_alternates: list[str]


def page_editions(*, page: Page | None, current: str) -> Editions:
    """The same story in every edition, or that edition's front page where the story
    does not exist (marked, so the front page can say so). One query per page."""
    translations: dict[str, Page] = {}
    if page is not None and page.translation_key:
        translations = {
            p.locale.language_code: p
            for p in page_filter_visible(
                page.get_translations(inclusive=True)
            ).select_related("locale")
        }
    links = [
        _edition_link(code, str(name), translations.get(code), page, current)
        for code, name in settings.LANGUAGES
    ]
    existing = [link for link in links if link.exists]
    alternates = [(link.bcp47, link.url) for link in existing]
    if existing:
        default_edition = [
            x for x in existing if x.language_code == settings.LANGUAGE_CODE
        ]
        default = (default_edition or existing)[0]
        alternates.append(("x-default", default.url))
    og_locale = OG_LOCALES.get(current, "")
    og_alternates = sorted({link.og_locale for link in existing} - {og_locale, ""})
    return Editions(links, alternates, og_locale, og_alternates)


def _edition_link(
    code: str, name: str, translated: Page | None, page: Page | None, current: str
) -> EditionLink:
    if translated is not None:
        url = translated.url or ""
    else:
        home = edition_nav(language_code=code).home
        url = home.url if home else f"/{code}/"
        if page is not None and page.depth > 2:
            url += "?untranslated=1"
    return EditionLink(code, name, url, translated is not None, code == current)


TRANSLATED_FIELDS = ("title", "lead", "body", "lead_image_caption")


def translation_is_stale(*, record: TranslationSource) -> bool:
    """Has the source been published with different text since the translation?

    A republication that changes nothing a translator translates (headline, lead,
    body, caption) does not make the translation stale.
    """
    source = record.source
    if (
        not source.live_revision_id
        or source.live_revision_id == record.source_revision_id
    ):
        return False
    if record.source_revision is None:
        return True
    then = record.source_revision.content
    now = source.live_revision.content  # select_related by the listing
    return any(then.get(name) != now.get(name) for name in TRANSLATED_FIELDS)


@dataclass(frozen=True)
class TranslationCell:
    language_code: str
    page: Page | None
    stale: bool
    translatable: bool = False  # missing, and its section is in that edition


@dataclass(frozen=True)
class TranslationStatus:
    """One story across the editions: which languages exist and which are stale."""

    title: str
    source: Page
    cells: list[TranslationCell]


def edition_languages() -> list[str]:
    """The languages stories are written in (the Latin edition is derived)."""
    return [c for c, _n in settings.LANGUAGES if c != settings.LATIN_EDITION_LANGUAGE]


def translation_status_list(
    *, limit: int = 200, missing: str | None = None, section: Page | None = None
) -> list[TranslationStatus]:
    """Recent live stories of the default edition with their translations, for
    the translation-status report: those lacking `missing` ("any": any language)
    and of `section` when given."""
    languages = edition_languages()
    stories = _default_edition_stories()
    if section is not None:
        stories = stories.child_of(section)
    others = [code for code in languages if code != settings.LANGUAGE_CODE]
    wanted = others if missing == "any" else [missing] if missing else []
    if wanted:
        stories = _lacking(stories, wanted)
    sources = list(
        stories.defer_streamfields().order_by("-latest_revision_created_at")[:limit]
    )
    pages = Page.objects.filter(
        translation_key__in=[page.translation_key for page in sources], alias_of=None
    ).select_related(
        "locale",
        "translation_source__source__live_revision",
        "translation_source__source_revision",
    )
    by_key: dict[Any, dict[str, Page]] = {}
    for page in pages:
        by_key.setdefault(page.translation_key, {})[page.locale.language_code] = page
    section_in = _section_editions(sources)
    return [
        TranslationStatus(
            source.title,
            source,
            [
                _translation_cell(
                    code,
                    by_key.get(source.translation_key, {}),
                    section_in=section_in[source.path[: -Page.steplen]],
                )
                for code in languages
            ],
        )
        for source in sources
    ]


def _section_editions(stories: list[Page]) -> dict[str, set[str]]:
    """For each story's parent (by path), the editions it is in (two queries)."""
    paths = {story.path[: -Page.steplen] for story in stories}
    keys = dict(
        Page.objects.filter(path__in=paths).values_list("path", "translation_key")
    )
    editions: dict[Any, set[str]] = {}
    for key, code in Page.objects.filter(translation_key__in=keys.values()).values_list(
        "translation_key", "locale__language_code"
    ):
        editions.setdefault(key, set()).add(code)
    return {path: editions.get(keys.get(path), set()) for path in paths}


def translation_gap_count(*, since: datetime) -> int:
    """Live stories of the default edition first published since `since` that
    lack a translation in some edition (one query): what the report lists with
    missing="any"."""
    others = [c for c in edition_languages() if c != settings.LANGUAGE_CODE]
    recent = _default_edition_stories().filter(first_published_at__gte=since)
    return _lacking(recent, others).count()


def _default_edition_stories() -> Any:  # a PageQuerySet
    return ArticlePage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE, alias_of=None
    )


def _lacking(stories: QuerySet[ArticlePage], languages: list[str]) -> Any:
    """The stories not translated into every one of `languages`."""
    translations = (
        Page.objects.filter(
            translation_key=OuterRef("translation_key"),
            alias_of=None,
            locale__language_code__in=languages,
        )
        .order_by()
        .values("translation_key")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return stories.annotate(translated=Subquery(translations)).filter(
        Q(translated__isnull=True) | Q(translated__lt=len(languages))
    )


def _translation_cell(
    code: str, editions: dict[str, Page], *, section_in: set[str]
) -> TranslationCell:
    page = editions.get(code)
    record = getattr(page, "translation_source", None) if page is not None else None
    stale = record is not None and translation_is_stale(record=record)
    return TranslationCell(code, page, stale, page is None and code in section_in)


BANNER_GENERATION_KEY = generation_key("news:banner-generation")


@dataclass(frozen=True)
class BannerState:
    """The edition's banner now, when the header last changed, and until when this
    answer holds (the active banner's expiry or the next one's start)."""

    banner: BreakingBanner | None
    url: str  # where the banner leads in this edition ("" for none)
    changed_at: datetime | None
    valid_until: datetime | None


def edition_cache_keys(language_code: str) -> list[str]:
    """What every page of the edition reads from the shared cache here: its
    navigation and its banner (core.routing asks for them with the page)."""
    nav = NAV_CACHE_KEY.format(language_code=language_code)
    return [nav, _banner_key(language_code)]


def _banner_language(language_code: str) -> str:
    """The Latin edition shows the Kazakh banner."""
    return "kk" if language_code == settings.LATIN_EDITION_LANGUAGE else language_code


def _banner_key(language_code: str) -> str:
    """Per edition, the Latin one too: the banners are the Kazakh ones, but the
    story a banner points at is the Latin edition's page there."""
    return f"news:banner:{cache_generation(BANNER_GENERATION_KEY)}:{language_code}"


def breaking_banner_state(
    *, language_code: str, now: datetime | None = None
) -> BannerState:
    """Cached until the banner changes, starts or expires, so no flush is needed."""
    now = now or timezone.now()
    language = _banner_language(language_code)
    key = _banner_key(language_code)
    cached: BannerState | None = cache.get(key)
    if cached is not None and (cached.valid_until is None or now < cached.valid_until):
        return cached
    # One query: the edition's banners of the last month (there are few).
    banners = list(
        BreakingBanner.objects.filter(
            language__in=(language, ALL_EDITIONS),
            expires_at__gt=now - timedelta(days=30),
        ).order_by("-starts_at")
    )
    active = next((b for b in banners if b.starts_at <= now < b.expires_at), None)
    upcoming = min(
        (b for b in banners if b.starts_at > now),
        key=lambda b: b.starts_at,
        default=None,
    )
    expired = max(
        (b for b in banners if b.expires_at <= now),
        key=lambda b: b.expires_at,
        default=None,
    )
    moments = [
        m for m in (
            active and active.starts_at, active and active.updated_at,
            expired and expired.expires_at,
        ) if m
    ]  # fmt: skip
    ends = [
        m for m in (active and active.expires_at, upcoming and upcoming.starts_at) if m
    ]
    state = BannerState(
        banner=active,
        url=_banner_url(active, language_code) if active else "",
        changed_at=max(moments) if moments else None,
        valid_until=min(ends) if ends else None,
    )
    cache.set(key, state, 600)
    return state


def _banner_url(banner: BreakingBanner, language: str) -> str:
    """The chosen story in the reader's edition (its translation there, or its
    Latin alias in the Latin edition; else the story itself), live pages only (a
    link to a story taken down would be a 404), or the banner's other link."""
    if banner.page_id is None:
        return banner.link
    story = Page.objects.filter(pk=banner.page_id).values("translation_key")[:1]
    live = Page.objects.live().filter(translation_key=Subquery(story))
    page = (
        live.filter(locale__language_code=language).first()
        or live.filter(pk=banner.page_id).first()
    )
    return (page.url if page else "") or banner.link


def breaking_banner_shows(*, translation_key: Any) -> bool:
    """Whether a banner not yet ended points at this story (in any edition): its
    publication, withdrawal, move or deletion changes where the banner leads."""
    return BreakingBanner.objects.filter(
        page__translation_key=translation_key, expires_at__gt=timezone.now()
    ).exists()


def breaking_banner_clear() -> None:
    """Saving or deleting a banner retires every cached answer at once, and again
    after the commit: a banner made inside a publication's transaction must not be
    cached as "no banner" by a reader who came between the two."""
    generation_retire(BANNER_GENERATION_KEY)
    retire(ALL)  # and every cached page, which all show it


def page_fragment_keys(request: HttpRequest, page: Page) -> list[str]:
    """What a page of ours reads from the shared cache once routing found it (its
    fragments: the edition links; an article's rows and related stories, with its
    story's tick): asked for together (`core.routing.page_keys`)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    section = edition_nav(language_code=language).section_of(page)
    nav = section_nav_fragment_name(section.path if section else None)
    names = [editions_fragment_name(page.pk, language)]
    names.append(edition_fragment_name(request, nav))
    dependencies = []
    if isinstance(page, ArticlePage):
        names.append(article_fragment_name(page.pk, language))
        names.append(related_fragment_name(page.pk))
        dependencies.append(story(page.translation_key))
    return fragment_keys(request, names, dependencies)
