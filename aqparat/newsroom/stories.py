"""'All stories': the list a newsroom lives in. Every article the user may see in
the admin (Wagtail's page permissions), with its authors, section, edition, status,
go-live time and, from features that add one, more columns (analytics adds the
views); filtered by edition, section, status and author; 50 a page.

Built on Wagtail's flat page listing (`PageListingViewSet`), so search, sorting,
bulk actions and the page's own action menu are Wagtail's. Its cost does not grow
with the archive: one page of rows, the authors in one more query, the go-live time
and status annotated in SQL.

A feature adds a column without this module importing it (features do not import
one another): a `aqparat_story_listing_columns` hook returns `(column,
annotations)`, a Wagtail table column and the queryset annotations it reads.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
)
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, DateColumn, LocaleColumn
from wagtail.admin.ui.tables.pages import (
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, WorkflowState

from aqparat.news.models import ArticlePage, Author, SectionPage

COLUMNS_HOOK = "aqparat_story_listing_columns"
# What a search result can be sorted by: Wagtail's page fields the search index
# declares filterable (annotations such as the go-live time or the views cannot).
SEARCH_ORDERINGS = ("title", "live")


class StoryStatus(TextChoices):
    LIVE = "live", pgettext_lazy("story status", "Live")
    SCHEDULED = "scheduled", pgettext_lazy("story status", "Scheduled")
    IN_REVIEW = "in_review", pgettext_lazy("story status", "In review")
    DRAFT = "draft", pgettext_lazy("story status", "Draft, not in review")


def _in_review() -> Exists:
    return Exists(
        WorkflowState.objects.active().filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )


def _in_review_ids() -> QuerySet[Any]:
    """The ids of the pages in review: a few thousand at most, so a filter on them
    reads that list rather than probing every story's workflow state."""
    return (
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values(page_id=Cast("object_id", output_field=IntegerField()))
    )


def stories_annotate(pages: QuerySet[Any]) -> QuerySet[Any]:
    """Each story's go-live time (stored: its first publication once live, the
    approved time while scheduled; see ArticlePage.live_from) and whether it is in
    review."""
    return pages.annotate(go_live=F("live_from"), in_review=_in_review())


class StoryFilterSet(PageFilterSet):
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("story status", "Status"),
        choices=StoryStatus.choices,
        method="status_filter",
    )
    section = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("news section", "Section"),
        queryset=lambda request: (
            SectionPage.objects.filter(alias_of=None)
            .select_related("locale")
            .order_by("locale__language_code", "title")
        ),
        method="section_filter",
    )
    author = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("byline", "Author"),
        queryset=lambda request: Author.objects.select_related("locale"),
        field_name="article_authors__author",
    )

    class Meta:
        model = ArticlePage
        fields: list[str] = []

    def status_filter(self, pages: QuerySet[Any], name: str, value: str) -> Any:
        if value == StoryStatus.LIVE:
            return pages.filter(live=True)
        not_live = pages.filter(live=False)
        if value == StoryStatus.SCHEDULED:
            return not_live.filter(live_from__isnull=False)
        if value == StoryStatus.IN_REVIEW:
            return pages.filter(pk__in=_in_review_ids())
        if value == StoryStatus.DRAFT:
            undated = not_live.filter(live_from__isnull=True)
            return undated.exclude(pk__in=_in_review_ids())
        return pages

    def section_filter(self, pages: QuerySet[Any], name: str, section: Any) -> Any:
        if section is None:
            return pages
        return pages.filter(Q(path__startswith=section.path), depth=section.depth + 1)


# The rights that make a page explorable (Wagtail's PagePermissionPolicy.
# explorable_instances).
EXPLORE_ACTIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


def explorable_stories(policy: Any, user: Any) -> Q | None:
    """The stories `user` may explore, as Wagtail's explorer decides, said as path
    prefixes: every page under (or at) a page where one of the user's groups has
    an exploring right, and the pages the rights are set on (Wagtail adds those and
    their ancestors; a story has no descendants, so of the ancestors only the page
    itself can be a story). Wagtail's own filter is `pk IN (explorable pages)`, a
    list PostgreSQL and SQLite build and probe for every story; a few `path LIKE`
    prefixes cost a scan of the page tree's paths. None: no rights at all (Wagtail's
    filter then says so)."""
    if not user.is_active:
        return None
    permissions = list(policy.get_cached_permissions_for_user(user))
    if not permissions:
        return None
    codenames = {f"{action}_page" for action in EXPLORE_ACTIONS}
    roots = {p.page.path for p in permissions if p.permission.codename in codenames}
    # Under a root already covered by a shorter one adds nothing.
    roots = {
        path
        for path in roots
        if not any(path != other and path.startswith(other) for other in roots)
    }
    where = Q(pk__in=sorted({p.page_id for p in permissions}))
    for path in sorted(roots):
        where |= Q(path__startswith=path)
    return where


def _feature_columns() -> list[tuple[Column, dict[str, Any]]]:
    return [hook() for hook in hooks.get_hooks(COLUMNS_HOOK)]


class StoriesPaginator(WagtailPaginator):
    """A page deep in the listing finds its rows' ids first, then reads those rows
    with their annotations: the database computes a row's annotations (in review,
    views, Wagtail's schedule and translation states) for the rows an OFFSET skips
    too, 4 950 of them on page 100."""

    def _get_page(self, object_list: Any, number: Any, paginator: Any) -> Any:
        if isinstance(object_list, QuerySet) and object_list.query.low_mark:
            ids = list(object_list.values_list("pk", flat=True))
            object_list = self.object_list.filter(pk__in=ids)
        return super()._get_page(object_list, number, paginator)


class StoriesIndexView(IndexView):
    default_ordering = "-go_live"
    paginator_class = StoriesPaginator
    page_title = _("All stories")

    @cached_property
    def feature_columns(self) -> list[tuple[Column, dict[str, Any]]]:
        """The features' columns and the annotations they read, asked for once per
        request: the columns, the valid orderings and the queryset all read them,
        and a hook builds new objects at each call."""
        return _feature_columns()

    @cached_property
    def story_columns(self) -> list[Any]:
        return [
            PageTitleColumn(
                "title", label=_("Headline"), sort_key="title", classname="title"
            ),
            Column("byline", label=_("Authors"), accessor="byline_names"),
            ParentPageColumn("parent", label=pgettext_lazy("news section", "Section")),
            LocaleColumn(label=_("Edition")),
            PageStatusColumn(
                "status", label=pgettext_lazy("story status", "Status"), sort_key="live"
            ),
            DateColumn("go_live", label=_("Go-live"), sort_key="go_live"),
            *(column for column, _extra in self.feature_columns),
        ]

    # A property with a setter, not a cached_property: the viewset passes Wagtail's
    # default page columns to the view's constructor, which would otherwise replace
    # ours in the instance's dict.
    @property
    def columns(self) -> list[Any]:
        """Ours and the features' (from their hooks, once per request)."""
        return self.story_columns

    @columns.setter
    def columns(self, _default: Any) -> None:
        pass

    def get_valid_orderings(self) -> list[str]:
        keys = [column.sort_key for column in self.columns if column.sort_key]
        if self.is_searching:  # the search backend sorts by indexed fields only
            keys = [key for key in keys if key in SEARCH_ORDERINGS]
        return [*keys, *(f"-{key}" for key in keys)]

    def get_base_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if user.is_active and user.is_superuser:
            # Wagtail's filter says "every page" as `pk IN (every page's id)`: it
            # keeps every row, yet SQLite then walks that list and looks each story
            # up, most of a listing's time at 100 000. (No depth filter either: a
            # story is never the root, and without one the count of every story
            # reads the story table alone.)
            return self.annotate_queryset(self.model.objects.all())
        explorable = explorable_stories(self.permission_policy, user)
        if explorable is None:
            return super().get_base_queryset()
        return self.annotate_queryset(self.model.objects.filter(explorable))

    def annotate_queryset(self, pages: QuerySet[Any]) -> QuerySet[Any]:
        pages = stories_annotate(pages)
        for _column, extra in self.feature_columns:
            pages = pages.annotate(**extra)
        pages = pages.prefetch_related("article_authors__author")
        return super().annotate_queryset(pages)

    def order_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.is_searching:  # by relevance, or a field the index sorts by
            if self.ordering and self.ordering.lstrip("-") in SEARCH_ORDERINGS:
                return queryset.order_by(self.ordering)
            return queryset
        if self.ordering in ("go_live", "-go_live"):  # undated drafts last
            # The stored column itself, which news_article_live_from indexes in
            # this order (with the story's id after it).
            field = F("live_from")
            ascending = self.ordering == "go_live"
            order = (
                field.asc(nulls_last=True) if ascending else field.desc(nulls_last=True)
            )
            return queryset.order_by(order, "-pk")
        return super().order_queryset(queryset)


class StoriesViewSet(PageListingViewSet):
    model = ArticlePage
    index_view_class = StoriesIndexView
    filterset_class = StoryFilterSet
    icon = "list-ul"
    menu_label = _("All stories")
    menu_order = 150
    add_to_admin_menu = True
    name = "stories"
