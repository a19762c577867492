"""News content: the edition home, sections, articles, tags, authors and sources."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, Revision, TranslatableMixin
from wagtail.search import index

from aqparat.core.middleware import note_last_modified
from aqparat.core.models import BasePage
from aqparat.core.pagecache import (
    ALL,
    depends_on,
    fragment,
    story,
)
from aqparat.core.selectors import listing_page_of
from aqparat.news.blocks import ArticleBodyBlock
from aqparat.news.forms import (
    ArticlePageForm,
    HomePageForm,
    NewsPageForm,
    front_page_story_refusal,
)
from aqparat.news.panels import TranslationStatusPanel
from aqparat.translit.analysis import analyse_document
from aqparat.translit.slugs import cyrillic_language, slug_for, slug_unique


class Author(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(pgettext_lazy("byline", "name"), max_length=120)
    slug = models.SlugField(pgettext_lazy("address part", "slug"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("newsroom account"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="bylines",
        help_text=_("The stories this account starts carry this byline."),
    )  # fmt: skip

    panels = [
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("user")
    ]  # fmt: skip
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class Source(TranslatableMixin, index.Indexed, models.Model):
    """An organisation the newsroom reports from, e.g. the Foreign Ministry ("MFA")."""

    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, help_text=_('As printed in text, e.g. "MFA".')
    )
    slug = models.SlugField(pgettext_lazy("address part", "slug"), max_length=120)
    url = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("url"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["short_name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.short_name} ({self.name})"


class NewsPage(BasePage):
    """A page of the news tree: its slug comes from its title, in its language."""

    base_form_class = NewsPageForm

    class Meta:
        abstract = True

    def is_first_publication(self, *, within: timedelta = timedelta(hours=1)) -> bool:
        """Whether the publication that just saved this page was its first: Wagtail
        sets first_published_at and last_published_at to one instant then, and
        never again (a later publication moves only the second). `within` guards
        against rows imported with equal stamps long ago. One rule for every
        feature that acts once per story (its banner, its Telegram post)."""
        first, last = self.first_published_at, self.last_published_at
        return first is not None and first == last and timezone.now() - first < within

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        """Fill an empty slug with the language's ASCII slug of the title.

        Once a page has been published its slug is frozen: clearing it restores the
        published one rather than deriving a new slug from an edited title.
        """
        if not self.slug:
            self.slug: str = self._frozen_slug() or self._new_slug()
        super().full_clean(*args, **kwargs)

    def _frozen_slug(self) -> str:
        if not (self.pk and self.first_published_at):
            return ""
        return str(
            Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        )

    def _new_slug(self) -> str:
        locale = self.locale if self.locale_id else self.get_default_locale()
        slug = slug_for(self.title or "", language_code=locale.language_code)
        parent = self.get_parent() if self.path else None
        if parent is None:
            return slug
        taken = set(
            parent.get_children().exclude(pk=self.pk).values_list("slug", flat=True)
        )
        return slug_unique(slug, taken=taken)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        note_last_modified(request, self.get_last_modified())
        return super().serve(request, *args, **kwargs)


class HomePage(NewsPage):
    """The front page of one language edition; the root of its page tree.

    Editors choose its main story and the stories pinned under it
    (`front_page_stories`, in order, each until a time or for good); without a
    choice the newest story leads. Publishing the home page puts a choice live."""

    content_panels = [
        *Page.content_panels,
        InlinePanel(
            "front_page_stories",
            heading=_("Front page"),
            label=_("chosen story"),
            help_text=_(
                "The first story is the main story; the others follow it in this "
                "order, before the newest. Each stays until its time, or until "
                "removed. Empty: the newest story leads."
            ),
        ),
    ]
    base_form_class = HomePageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.TagIndexPage"]

    class Meta:
        verbose_name = _("edition home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from aqparat.news.selectors import home_page_blocks

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_blocks(home=self))
        context["untranslated"] = "untranslated" in request.GET
        return context

    def get_last_modified(self) -> datetime | None:
        """When what the front page shows last changed: a story below it, the
        editors' choice (the home's own publication), or a choice's time ending."""
        from aqparat.news.selectors import article_latest_change

        now = timezone.now()
        ended = [t for _story, t in self.front_page_rows if t is not None and t <= now]
        moments = [article_latest_change(under=self), self.last_published_at, *ended]
        return max((moment for moment in moments if moment), default=None)

    @cached_property
    def front_page_rows(self) -> list[tuple[int, Any]]:
        """The chosen stories' ids and times, in order (news.front_page), read once
        for the Last-Modified header and the page. Read through the relation, so a
        preview shows the draft's choice (rows in memory), a live page the stored."""
        return [(row.story_id, row.until) for row in self.front_page_stories.all()]


class FrontPageStory(Orderable):
    """A story editors chose for an edition's front page (HomePage): the first is
    the main story. Wagtail copies these rows to the Latin edition's home (an
    alias), where they still name the Cyrillic stories (news.front_page maps them)."""

    home = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="front_page_stories"
    )
    story = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("story"),
    )  # fmt: skip
    until = models.DateTimeField(
        _("until"), null=True, blank=True,
        help_text=_("Almaty time (UTC+5). Empty: until removed."),
    )  # fmt: skip

    panels = [
        FieldPanel("story"),
        FieldPanel("until"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("front page story")
        verbose_name_plural = _("front page stories")

    def clean(self) -> None:
        home = getattr(self, "home", None)
        story_ = self.story if self.story_id else None
        if home is None or story_ is None or not home.path:
            return
        refusal = front_page_story_refusal(home.path, story_)
        if refusal:
            raise ValidationError({"story": refusal})


class SectionPage(NewsPage):
    """A section such as News, Politics or Sport; articles live under it."""

    intro = models.TextField(_("introduction"), blank=True)

    telegram_default = models.BooleanField(
        _("post new stories to Telegram"), default=True,
        help_text=_("Where a new story starts; each story may change it."),
    )  # fmt: skip

    content_panels = [
        *Page.content_panels, FieldPanel("intro"), FieldPanel("telegram_default")
    ]  # fmt: skip
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("section")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from aqparat.news.selectors import article_list_for_listing

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listing_page_of(
            items=article_list_for_listing(under=self),
            page_number=request.GET.get("page"),
            per_page=settings.AQPARAT_LISTING_PAGE_SIZE,
        )
        return context

    def get_last_modified(self) -> datetime | None:
        from aqparat.news.selectors import article_latest_change

        return article_latest_change(under=self)


class ArticleTag(TagBase):
    """A tag with an ASCII slug made by our language tables (taggit's default keeps
    Cyrillic), so tag URLs are Latin in every edition, /kk-latn/ included.

    The slug is not unique: one name in each edition ("Алматы", "Almaty") gives one
    slug, and each edition's tag page lists its own stories under it (a unique slug
    made the second "almaty-1"). Names stay unique, as taggit needs."""

    free_tagging = True
    slug = models.SlugField(
        pgettext_lazy("address part", "slug"), max_length=100, db_index=True
    )

    class Meta:
        verbose_name = pgettext_lazy("story tag", "tag")
        verbose_name_plural = pgettext_lazy("story tag", "tags")

    def slugify(self, tag: str, i: int | None = None) -> str:
        # Latin tags pass through either table unchanged.
        slug = slug_for(tag, language_code=cyrillic_language(tag))
        return f"{slug}-{i}" if i is not None else slug


class ArticlePageTag(ItemBase):
    tag = models.ForeignKey(
        ArticleTag, on_delete=models.CASCADE, related_name="article_links"
    )
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class GoLiveIndex(models.Index):
    """A descending index whose first column keeps its empty values last where the
    database can say so (PostgreSQL: `DESC NULLS LAST`, the listing's order, which
    a plain `DESC` index, nulls first, cannot serve). SQLite's `DESC` already puts
    them last and its CREATE INDEX has no NULLS clause."""

    def create_sql(
        self, model: Any, schema_editor: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, *args, **kwargs)
        index = models.Index(fields=self.fields, name=self.name)
        (first, order), *rest = index.fields_orders
        index.fields_orders = [(first, f"{order} NULLS LAST"), *rest]
        return index.create_sql(model, schema_editor, *args, **kwargs)


class ArticlePage(NewsPage):
    """A news story. Its publication time is Wagtail's first publication (UTC)."""

    base_form_class = ArticlePageForm
    # Its page prints the view counter, read with the page (analytics.selectors).
    shows_views = True

    lead = models.TextField(
        _("lead"),
        help_text=_("The standfirst: one or two sentences under the headline."),
    )
    lead_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("lead photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(
        _("lead photo caption"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the caption from the media library."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    breaking = models.BooleanField(
        _("breaking news"), default=False,
        help_text=_(
            "When first published, the story is its edition's breaking-news banner "
            "for two hours (change or end it under Breaking news banners)."
        ),
    )  # fmt: skip
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Almaty time. Until then nothing shows this story (page, lists, feeds, "
            "sitemaps, API, search, Telegram), even once approved; at this time it "
            "publishes itself. Publishing earlier is not possible while it is set."
        ),
    )
    telegram_post = models.BooleanField(
        _("post to Telegram"), default=True,
        help_text=_(
            "Post this story to the edition's Telegram channel when it is first "
            "published. A new story starts with its section's choice."
        ),
    )  # fmt: skip
    telegram_text = models.TextField(
        _("Telegram text"), blank=True, max_length=900,
        help_text=_("Said in the post instead of the lead. Empty: the lead."),
    )  # fmt: skip
    telegram_update_post = models.BooleanField(
        _("update the Telegram post"),
        default=False,
        help_text=_(
            "When this version is published, edit the post already in the Telegram "
            "channel to match (for corrections). It never posts again."
        ),
    )
    # When the story goes or went live, stored so that the admin's listing of every
    # story (newsroom/stories.py) sorts and filters on an index, not on a per-row
    # subquery: the first publication once live, the approved time while scheduled,
    # empty for a draft. Kept true by save() and by the signals in news/apps.py
    # (scheduling and unscheduling touch only a revision; unpublishing clears the
    # approved times after saving the page).
    live_from = models.DateTimeField(
        _("go-live time"), null=True, blank=True, editable=False
    )

    # A copy or a translation is a new post: another edition's Telegram wording must
    # not go out in its channel; nor is it breaking news by inheritance (its first
    # publication would make a banner, hours or days later).
    exclude_fields_in_copy = ["telegram_text", "breaking"]

    content_panels = [
        TranslationStatusPanel(heading=_("Translation")),
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")],
            heading=_("Lead photo"),
        ),
        FieldPanel("body"),
        InlinePanel("source_attributions", label=_("Sources")),
        InlinePanel("article_authors", label=_("Authors")),
        FieldPanel("tags"),
        FieldPanel("breaking"),
        FieldPanel("embargo_until", heading=_("Embargo")),
        InlinePanel(
            "corrections",
            label=_("Correction or update"),
            heading=_("Corrections and updates shown to readers"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("telegram_post"),
                FieldPanel("telegram_text"),
                FieldPanel("telegram_update_post"),
            ],
            heading=_("Telegram"),
        ),
    ]
    # Site search (aqparat/search): the headline and the text are indexed analysed
    # for the page's language (stemmed, plus folded Kazakh), the headline weighted
    # above the body; the raw title stays for the admin's own search. The related
    # declarations only make bulk indexing fetch locale and tags in one go.
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_headline", boost=2),
        index.SearchField("search_text"),
        index.FilterField("embargo_until"),
        index.FilterField("expire_at"),
        index.RelatedFields("locale", [index.FilterField("language_code")]),
        index.RelatedFields("tags", [index.FilterField("name")]),
    ]

    def search_headline(self) -> str:
        return analyse_document([self.title], **self._search_analysis())

    def search_text(self) -> str:
        texts = [self.lead, *self.body.stream_block.get_searchable_content(self.body)]
        texts += [tag.name for tag in self.tags.all()]
        return analyse_document(texts, **self._search_analysis())

    def _search_analysis(self) -> dict[str, Any]:
        return {
            "language_code": self.locale.language_code,
            "stem": settings.AQPARAT_SEARCH_STEMMING,
        }

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # The admin's listing of every story: newest go-live first, undated
            # drafts last, then newest story first.
            GoLiveIndex(
                fields=["-live_from", "-page_ptr"], name="news_article_live_from"
            ),
        ]

    def _live_from_set(self, kwargs: dict[str, Any]) -> None:
        """Keep `live_from` true on every save that may change it (a save's
        `update_fields` gain it when it changes)."""
        update_fields = kwargs.get("update_fields")
        if self.live:
            self.live_from = self.first_published_at
        elif update_fields is None or "live" in update_fields:
            self.live_from = self.scheduled_at() if self.pk else None
        else:  # a draft saved in part (a new revision): its time is unchanged
            update_fields = None
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "live_from"}

    def scheduled_at(self) -> datetime | None:
        """The go-live time an editor approved for this story (not live yet)."""
        return (
            Revision.page_revisions.filter(
                object_id=str(self.pk), approved_go_live_at__isnull=False
            )
            .order_by("-created_at")
            .values_list("approved_go_live_at", flat=True)
            .first()
        )

    def live_from_refresh(self) -> None:
        """Store `live_from` from the database's state, after a change that did not
        save the page (a revision scheduled or unscheduled, the approved times of an
        unpublished page cleared)."""
        page = Page.objects.filter(pk=self.pk).values("live", "first_published_at")
        row = page.first()
        if row is None:
            return
        live_from = row["first_published_at"] if row["live"] else self.scheduled_at()
        ArticlePage.objects.filter(pk=self.pk).update(live_from=live_from)
        self.live_from = live_from

    def clean(self) -> None:
        """An embargo holds publication back: whatever the go-live time says, the
        approved story goes live no earlier than the embargo. A story already public
        cannot be embargoed (it has been seen)."""
        super().clean()
        if not self.embargo_active():
            return
        if self.pk and ArticlePage.objects.filter(pk=self.pk, live=True).exists():
            raise ValidationError(
                {"embargo_until": _(
                    "This article is already public: an embargo can only hold back "
                    "a story that has not been published. Unpublish it first."
                )}
            )  # fmt: skip
        embargo = self.embargo_until
        go_live_at: datetime | None = getattr(self, "go_live_at", None)
        if embargo and (go_live_at is None or go_live_at < embargo):
            self.go_live_at = embargo

    def embargo_active(self, *, now: datetime | None = None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (now or timezone.now()))

    @property
    def byline_names(self) -> str:
        """The authors' names, as the admin lists them (prefetch article_authors)."""
        return ", ".join(row.author.name for row in self.article_authors.all())

    def byline_default_set(self, *, user: Any, locale_id: int) -> None:
        """A new story's byline: its writer, as the Author linked to their account
        in the story's language; left empty when they have none there."""
        if self.article_authors.exists() or user is None or not user.pk:
            return
        author = Author.objects.filter(user=user, locale_id=locale_id).first()
        if author is not None:
            self.article_authors.set([ArticleAuthor(author=author)])  # in memory

    def publication_problems(self) -> list[str]:
        """What stops this version from being published, as messages for editors."""
        problems = []
        language = self.locale.language_code if self.locale_id else "kk"
        for image, credit in self._photos_used():
            missing = image.rights_missing(language)
            if credit.strip():  # an inline photo may carry its own credit
                missing = [name for name in missing if name != str(_("credit"))]
            if missing:
                problems.append(
                    _('Photo "%(title)s" needs: %(fields)s.')
                    % {"title": image.title, "fields": ", ".join(missing)}
                )
        return problems

    def images_used(self) -> list[Any]:
        return list({image.pk: image for image, _credit in self._photos_used()}
                    .values())  # fmt: skip

    def _photos_used(self) -> list[tuple[Any, str]]:
        """Every photo the article shows, with the credit its block gives it."""
        photos: list[tuple[Any, str]] = []
        if self.lead_image_id and self.lead_image is not None:
            photos.append((self.lead_image, ""))
        for block in self.body:
            if block.block_type == "image":
                inline = [block.value]
            elif block.block_type == "gallery":
                inline = list(block.value.get("images") or [])
            else:
                continue
            photos += [(item["image"], item.get("credit") or "")
                       for item in inline if item.get("image")]  # fmt: skip
        return photos

    def publish(self, revision: Any, *args: Any, **kwargs: Any) -> Any:
        """Every path to publication (the form, workflow approval from any screen,
        bulk publish, the scheduled pass) meets the same rights check; the admin
        form has already shown the reasons where it is involved."""
        from aqparat.news.exceptions import PublicationBlocked

        problems = revision.as_object().publication_problems()
        if problems:
            raise PublicationBlocked(" ".join(str(p) for p in problems))
        return super().publish(revision, *args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> Any:
        """Atomic with its post_save handlers, so what they write (the Telegram
        outbox row of a first publication) commits or rolls back with the page.

        The last guard of an embargo: nothing may save the story live before its
        time, whichever path tries (clean() has already turned a publish into a
        scheduled publication at the embargo time)."""
        going_live: bool = getattr(self, "live", False)
        if going_live and self.embargo_active() and self._state.adding:
            # Wagtail's "create and publish" first inserts the page live, then
            # schedules it; an embargoed one is inserted not live.
            self.live = False
        elif going_live and self.embargo_active():
            raise ValidationError(
                _("An embargoed article cannot go live before %(time)s.")
                % {"time": f"{timezone.localtime(self.embargo_until):%d.%m.%Y %H:%M}"}
            )
        self._live_from_set(kwargs)
        with transaction.atomic():
            return super().save(*args, **kwargs)

    def copy(self, *args: Any, **kwargs: Any) -> Any:
        from aqparat.news.signals import article_copied

        page_copy = super().copy(*args, **kwargs)
        article_copied.send(sender=ArticlePage, original=self, copy=page_copy)
        return page_copy

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from aqparat.news.selectors import article_detail

        context = super().get_context(request, *args, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE

        def build() -> tuple[Any, list[str]]:
            # Its photo, bylines, sources, tags and notes: the story's, and what
            # every page prints (credits, names), so both retire it.
            detail = article_detail(article=self, language_code=language)
            return detail, [story(self.translation_key), ALL]

        detail: Any = fragment(request, article_fragment_name(self.pk, language), build)
        context["article"] = detail
        depends_on(request, story(self.translation_key))
        return context


def section_nav_fragment_name(section_path: str | None) -> str:
    """The navigation's rendered HTML with a section marked current (news_tags)."""
    return f"news:nav-html:{section_path or '-'}"


def article_fragment_name(page_pk: int, language: str) -> str:
    """The fragment of an article's own rows (photo, corrections, bylines...)."""
    return f"news:article:{page_pk}:{language}"


def editions_fragment_name(page_pk: int | None, language: str) -> str:
    """The fragment of a page's editions (switcher, hreflang) in a language."""
    return f"news:editions:{page_pk if page_pk is not None else '-'}:{language}"


def related_fragment_name(page_pk: int) -> str:
    """The fragment of an article's related stories."""
    return f"news:related:{page_pk}"


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    UPDATE = "update", pgettext_lazy("correction kind", "Update")


class ArticleCorrection(Orderable):
    """A dated note readers see under the story: what was corrected or added."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=CorrectionKind.choices,
        default=CorrectionKind.CORRECTION,
    )  # fmt: skip
    noted_at = models.DateTimeField(
        _("date and time"), blank=True,
        help_text=_("Almaty time (UTC+5). Empty: the moment you save."),
    )  # fmt: skip
    text = models.TextField(_("note"))

    panels = [FieldPanel("kind"), FieldPanel("noted_at"), FieldPanel("text")]

    def clean(self) -> None:
        """A note is usually written as it happens: an empty time is now (set in
        the form, so the saved revision and its preview carry it too)."""
        if self.noted_at is None:
            self.noted_at = timezone.now()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.noted_at is None:
            self.noted_at = timezone.now()
        super().save(*args, **kwargs)

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self) -> str:
        when = f"{self.noted_at:%Y-%m-%d %H:%M}" if self.noted_at else ""
        return f"{self.kind} {when}".strip()

    @property
    def label(self) -> str:
        """What readers see before the time: "Corrected" or "Updated"."""
        if self.kind == CorrectionKind.UPDATE:
            return pgettext("correction note", "Updated")
        return pgettext("correction note", "Corrected")


class ArticleAuthor(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("author")]


class SourceRelation(models.TextChoices):
    CITING = "citing", _("citing")
    REPRINT = "reprint", _("reprint")
    BASED_ON = "based_on", _("based on")


class ArticleSourceAttribution(Orderable):
    """Structured attribution: which source, and how the story relates to it."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="source_attributions"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(
        _("relation"),
        max_length=16,
        choices=SourceRelation.choices,
        default=SourceRelation.CITING,
    )

    panels = [FieldPanel("source"), FieldPanel("relation")]


class TagIndexPage(RoutablePageMixin, NewsPage):
    """Lists articles by tag at `<edition>/tags/<tag-slug>/`."""

    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("tag index")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # RoutablePageMixin.serve dispatches to the routes without BasePage.serve.
        note_last_modified(request, self.get_last_modified())
        return super().serve(request, *args, **kwargs)

    def get_last_modified(self) -> datetime | None:
        from aqparat.news.selectors import article_latest_change

        return article_latest_change(under=self.get_parent())

    @path("")
    def tag_list(self, request: HttpRequest) -> HttpResponse:
        from aqparat.news.selectors import tag_list_for_edition

        home = self.get_parent()
        return self.render(
            request, context_overrides={"tags": tag_list_for_edition(under=home)}
        )

    @path("<slug:tag>/")
    def tag_detail(self, request: HttpRequest, tag: str) -> HttpResponse:
        from aqparat.news.selectors import article_list_for_listing, tag_get

        home = self.get_parent()
        tag_obj = tag_get(slug=tag, under=home)
        if tag_obj is None:
            # An address from when slugs were unique across editions (almaty-1).
            own, _dash, number = tag.rpartition("-")
            if own and number.isdecimal() and tag_get(slug=own, under=home):
                target = self.reverse_subpage("tag_detail", args=(own,))
                return redirect(self.get_url(request) + target, permanent=True)
            raise Http404
        articles = article_list_for_listing(under=home, tag=tag_obj)
        page = listing_page_of(
            items=articles,
            page_number=request.GET.get("page"),
            per_page=settings.AQPARAT_LISTING_PAGE_SIZE,
        )
        if not page.paginator.count:
            # A tag of no public story in this edition: its name may be all a
            # reader could learn of an embargoed or private one.
            raise Http404
        return self.render(
            request,
            context_overrides={"tag": tag_obj, "articles": page},
            template="news/tag_page.html",
        )


class TranslationSource(models.Model):
    """Which page, at which revision, a translation was made from.

    When the source is published again with different text, the translation is stale
    until a translator brings it up to date (selectors.translation_is_stale).
    """

    translation = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="translation_source",
    )
    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    source_revision = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("translation source")
        verbose_name_plural = _("translation sources")

    def __str__(self) -> str:
        return f"{self.translation_id} from {self.source_id}@{self.source_revision_id}"


ALL_EDITIONS = "all"
BANNER_HOURS = 2  # how long a new banner lasts unless the editor says otherwise


def _edition_choices() -> list[tuple[str, str]]:
    return [
        (ALL_EDITIONS, str(_("All editions"))),
        *(
            (code, name)
            for code, name in settings.LANGUAGES
            if code != settings.LATIN_EDITION_LANGUAGE
        ),
    ]


def _banner_default_end() -> datetime:
    return timezone.now() + timedelta(hours=BANNER_HOURS)


class BreakingBanner(models.Model):
    """A line across the top of every page of one edition until it expires.

    Set by chief editors (the snippet's permissions). The Latin edition shows the
    Kazakh banner, transliterated. The one breaking-news mechanism: an article
    first published with its "breaking news" box ticked becomes its edition's
    banner (news.services.breaking_banner_for_story).
    """

    language = models.CharField(_("edition"), max_length=15, choices=_edition_choices)
    text = models.CharField(_("text"), max_length=200)
    page = models.ForeignKey(
        Page, verbose_name=_("story"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Each edition links its own translation of the story."),
    )  # fmt: skip
    link = models.URLField(
        _("other link"), blank=True, help_text=_("Used when no story is chosen.")
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("shown until"), default=_banner_default_end,
        help_text=_("Almaty time. The banner disappears by itself."),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("language"),
        FieldPanel("text"),
        FieldPanel("page"),
        FieldPanel("link"),
        FieldPanel("starts_at"),
        FieldPanel("expires_at"),
    ]

    class Meta:
        verbose_name = _("breaking news banner")
        verbose_name_plural = _("breaking news banners")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError(
                {"expires_at": _("The banner must end after it starts.")}
            )
