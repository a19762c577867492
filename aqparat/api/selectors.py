"""Reads behind the JSON API: what a client may see, in one fixed number of queries.

Only what news' `page_filter_visible` lets through ever leaves here (live, not
expired, not restricted, not embargoed; a Latin-edition alias only while its Kazakh
source is too), also as a translation link. Articles of the Latin edition come back
in Latin script (aqparat/translit), with the editors' spellings applied.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page
from wagtail.query import PageQuerySet

from aqparat.analytics.models import PageViewCount
from aqparat.analytics.selectors import most_read
from aqparat.images.models import CustomImage
from aqparat.images.renditions import DETAIL_RENDITIONS, LISTING_RENDITIONS
from aqparat.news.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSourceAttribution,
    Author,
    SectionPage,
    Source,
)
from aqparat.news.selectors import (
    article_body_html,
    page_filter_visible,
    tag_list_for_edition,
)
from aqparat.rates.selectors import RatesDay, rates_for_ticker
from aqparat.translit.latin import to_latin
from aqparat.translit.middleware import html_to_latin
from aqparat.translit.selectors import latin_spellings

ALMATY = ZoneInfo("Asia/Almaty")
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
LISTING_RENDITION = LISTING_RENDITIONS[0]
DETAIL_RENDITION = DETAIL_RENDITIONS[-1]


@dataclass(frozen=True)
class SectionRef:
    id: int
    slug: str
    title: str
    url: str


@dataclass(frozen=True)
class TagRef:
    slug: str
    name: str
    article_count: int | None = None


@dataclass(frozen=True)
class AuthorRef:
    name: str
    slug: str
    role: str


@dataclass(frozen=True)
class SourceRef:
    name: str
    short_name: str
    url: str
    relation: str


@dataclass(frozen=True)
class ImageRef:
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True)
class TranslationRef:
    language: str
    id: int
    url: str


@dataclass(frozen=True)
class ArticleCard:
    id: int
    language: str
    url: str
    headline: str
    lead: str
    breaking: bool
    section: SectionRef | None
    tags: list[TagRef]
    authors: list[AuthorRef]
    sources: list[SourceRef]
    first_published_at: datetime
    modified_at: datetime
    lead_image: ImageRef | None
    translations: list[TranslationRef]
    views: int
    body_html: str | None = None


@dataclass(frozen=True)
class MostReadItem:
    id: int
    headline: str
    url: str
    views: int


def _latin_text(text: str) -> str:
    return to_latin(
        text,
        loan_letters=settings.AQPARAT_TRANSLIT_LOAN_LETTERS or None,
        overrides=latin_spellings(),
    )


Ref = TypeVar("Ref")


def _in_latin(ref: Ref, language: str) -> Ref:
    """`ref` with its text fields in Latin script when `language` is the Latin one."""
    if ref is None or language != settings.LATIN_EDITION_LANGUAGE:
        return ref
    data: Any = ref  # one of the frozen dataclasses above
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(data):
        value = getattr(data, item.name)
        if item.name == "body_html" and value:
            changes[item.name] = html_to_latin(value, overrides=latin_spellings())
        elif item.name in {"url", "slug", "language", "relation"}:
            continue
        elif isinstance(value, str):
            changes[item.name] = _latin_text(value)
        elif isinstance(value, list):
            changes[item.name] = [_in_latin(v, language) for v in value]
        elif dataclasses.is_dataclass(value):
            changes[item.name] = _in_latin(value, language)
    return cast(Ref, dataclasses.replace(data, **changes))


def _public_articles() -> PageQuerySet:
    """What the public may see of the articles (news' one visibility rule)."""
    return page_filter_visible(ArticlePage.objects.all())


def _public_pages() -> QuerySet[Page]:
    return page_filter_visible(Page.objects.all())


def _parent_path() -> Substr:
    return Substr("path", 1, Length("path") - Page.steplen)


def article_filter(
    *,
    language: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    published_from: datetime | None = None,
    published_to: datetime | None = None,
) -> PageQuerySet:
    """Public articles matching every given filter, newest first (ids only needed)."""
    articles = _public_articles().order_by("-first_published_at", "-pk")
    if language is not None:
        articles = articles.filter(locale__language_code=language)
    if section is not None:
        paths = SectionPage.objects.filter(slug=section).values("path")
        articles = articles.alias(parent_path=_parent_path()).filter(
            parent_path__in=paths
        )
    if tag is not None:
        articles = articles.filter(tagged_items__tag__slug=tag)
    if published_from is not None:
        articles = articles.filter(first_published_at__gte=published_from)
    if published_to is not None:
        articles = articles.filter(first_published_at__lte=published_to)
    return articles


@dataclass
class ArticleResults:
    """A lazily counted and sliced list of article cards, for the paginator."""

    articles: PageQuerySet
    _count: int | None = field(default=None, repr=False)

    def count(self) -> int:
        if self._count is None:
            self._count = self.articles.count()
        return self._count

    def all(self) -> ArticleResults:
        return self

    def __getitem__(self, window: slice) -> list[ArticleCard]:
        return article_cards(articles=self.articles[window])


def article_list(**filters: Any) -> ArticleResults:
    """Cards of the public articles matching `filters` (see article_filter)."""
    return ArticleResults(article_filter(**filters))


def _with_relations(
    articles: QuerySet[ArticlePage], renditions: Sequence[str]
) -> QuerySet[ArticlePage]:
    return articles.select_related("locale").prefetch_related(
        Prefetch(
            "lead_image",
            queryset=CustomImage.objects.prefetch_renditions(*renditions),
        ),
        Prefetch("tagged_items__tag"),
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by(
                "sort_order", "pk"
            ),
        ),
        Prefetch(
            "source_attributions",
            queryset=ArticleSourceAttribution.objects.select_related("source").order_by(
                "sort_order", "pk"
            ),
        ),
        "corrections",
    )


def article_cards(
    *, articles: PageQuerySet, with_body: bool = False
) -> list[ArticleCard]:
    """Cards for `articles`: a fixed number of queries however many there are."""
    spec = DETAIL_RENDITION if with_body else LISTING_RENDITION
    if not with_body:
        articles = articles.defer_streamfields()
    pages = list(_with_relations(articles, [spec]))
    context = _CardContext.load(pages)
    return [
        _in_latin(context.card(page, spec, with_body), page.locale.language_code)
        for page in pages
    ]


def article_get(*, article_id: int) -> ArticleCard | None:
    """One public article with its body, or None."""
    cards = article_cards(
        articles=_public_articles().filter(pk=article_id), with_body=True
    )
    return cards[0] if cards else None


@dataclass
class _CardContext:
    """What the cards of a page of articles share, each fetched in one query."""

    sections: dict[str, Page]
    translations: dict[Any, list[Page]]
    views: dict[int, int]
    authors: dict[tuple[Any, int], Author]
    sources: dict[tuple[Any, int], Source]

    @classmethod
    def load(cls, pages: list[ArticlePage]) -> _CardContext:
        keys = {page.translation_key for page in pages}
        translations: dict[Any, list[Page]] = defaultdict(list)
        for other in (
            _public_articles()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .only("pk", "path", "url_path", "translation_key", "locale", "depth")
        ):
            translations[other.translation_key].append(other)
        locales = {page.locale_id for page in pages}
        return cls(
            sections={
                p.path: p
                for p in Page.objects.filter(
                    path__in={page.path[: -Page.steplen] for page in pages}
                ).select_related("locale")
            },
            translations=translations,
            views=dict(
                PageViewCount.objects.filter(
                    page_id__in=[_counted_id(p) for p in pages]
                ).values_list("page_id", "views")
            ),
            authors=_localized(Author, pages, "article_authors", "author", locales),
            sources=_localized(Source, pages, "source_attributions", "source", locales),
        )

    def card(self, page: ArticlePage, spec: str, with_body: bool) -> ArticleCard:
        language = page.locale.language_code
        section = self.sections.get(page.path[: -Page.steplen])
        return ArticleCard(
            id=page.pk,
            language=language,
            url=page.get_full_url() or "",
            headline=page.title,
            lead=page.lead,
            breaking=page.breaking,
            section=_section_ref(section) if section is not None else None,
            tags=[
                TagRef(slug=item.tag.slug, name=item.tag.name)
                for item in page.tagged_items.all()
            ],
            authors=[
                _author_ref(self.authors.get(_key(row.author, page), row.author))
                for row in page.article_authors.all()
            ],
            sources=[
                _source_ref(self.sources.get(_key(row.source, page), row.source), row)
                for row in page.source_attributions.all()
            ],
            first_published_at=timezone.localtime(page.first_published_at),
            modified_at=timezone.localtime(
                max(
                    [c.noted_at for c in page.corrections.all()],
                    default=page.first_published_at,
                )
            ),
            lead_image=_image_ref(page, spec),
            translations=[
                TranslationRef(
                    language=other.locale.language_code,
                    id=other.pk,
                    url=other.get_full_url() or "",
                )
                for other in self.translations.get(page.translation_key, [])
                if other.pk != page.pk
            ],
            views=self.views.get(_counted_id(page), 0),
            body_html=article_body_html(article=page) if with_body else None,
        )


def _counted_id(page: Page) -> int:
    """Whose views these are: a Latin alias counts its Kazakh story's."""
    return int(page.alias_of_id or page.pk)


def _key(snippet: Author | Source, page: ArticlePage) -> tuple[Any, int]:
    return (snippet.translation_key, page.locale_id)


def _localized(
    model: type[Author] | type[Source],
    pages: list[ArticlePage],
    relation: str,
    attribute: str,
    locales: set[int],
) -> dict[tuple[Any, int], Any]:
    """The authors or sources in each article's language, where a translation
    exists (an admin-copied translation still points at the original's); one query.
    A Latin alias keeps its source's (Kazakh) snippets, which get transliterated."""
    keys = {
        getattr(row, attribute).translation_key
        for page in pages
        for row in getattr(page, relation).all()
    }
    found = model.objects.filter(translation_key__in=keys, locale_id__in=locales)
    return {(snippet.translation_key, snippet.locale_id): snippet for snippet in found}


def _section_ref(section: Page) -> SectionRef:
    return SectionRef(
        id=section.pk,
        slug=section.slug,
        title=section.title,
        url=section.get_full_url() or "",
    )


def _author_ref(author: Author) -> AuthorRef:
    return AuthorRef(name=author.name, slug=author.slug, role=author.role)


def _source_ref(source: Source, row: ArticleSourceAttribution) -> SourceRef:
    return SourceRef(
        name=source.name,
        short_name=source.short_name,
        url=source.url,
        relation=row.relation,
    )


def _image_ref(page: ArticlePage, spec: str) -> ImageRef | None:
    """The lead photo's rendition, made ahead of readers (images/renditions.py);
    one missing is made now, as the site's pages would."""
    image: CustomImage | None = page.lead_image
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    language = page.locale.language_code
    return ImageRef(
        url=rendition.full_url,
        width=rendition.width,
        height=rendition.height,
        alt=image.alt_in(language),
        caption=page.lead_image_caption or image.caption_in(language),
        credit=image.credit,
    )


def _edition_home(language: str) -> Page | None:
    return (
        _public_pages()
        .filter(locale__language_code=language, depth=2)
        .order_by("path")
        .first()
    )


def section_list(*, language: str) -> list[SectionRef]:
    """The edition's public sections in tree order (menu sections and the rest)."""
    sections = (
        page_filter_visible(SectionPage.objects.filter(locale__language_code=language))
        .select_related("locale")
        .order_by("path")
    )
    return [_in_latin(_section_ref(section), language) for section in sections]


def tag_list(*, language: str) -> list[TagRef]:
    """The edition's most used tags (at most 100) with their public article counts."""
    home = _edition_home(language)
    if home is None:
        return []
    return [
        _in_latin(TagRef(tag.slug, tag.name, tag.article_count), language)
        for tag in tag_list_for_edition(under=home)
    ]


def rates_today(*, currencies: tuple[str, ...]) -> RatesDay | None:
    """The header ticker's rates (its cached selector) with the day's change."""
    return rates_for_ticker(currencies=currencies)


def most_read_list(*, language: str, period: str, limit: int) -> list[MostReadItem]:
    """The edition's most read public articles (analytics' cached ranking), with
    ids and absolute addresses in that edition."""
    ranking = most_read(language=language, period=period, limit=limit)
    counted = [item.page_id for item in ranking]
    pages = _public_articles().filter(locale__language_code=language)
    pages = pages.filter(Q(pk__in=counted) | Q(alias_of_id__in=counted))
    by_counted = {_counted_id(page): page for page in pages.select_related("locale")}
    return [
        _in_latin(
            MostReadItem(
                id=page.pk,
                headline=page.title,
                url=page.get_full_url() or "",
                views=item.views,
            ),
            language,
        )
        for item in ranking
        if (page := by_counted.get(item.page_id)) is not None
    ]


def almaty_bound(value: date | datetime, *, end: bool) -> datetime:
    """A filter bound in UTC: a date means its whole Almaty day (`end`: up to its
    last moment); a time without an offset is Almaty's. A bound beyond what the
    databases hold widens to the open end."""
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.combine(value, time.max if end else time.min)
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, ALMATY)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return LATEST if end else EARLIEST
