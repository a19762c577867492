"""Admin forms of news pages."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Revision

from aqparat.translit.slugs import slug_for, slug_formatters, slug_unique


def almaty_now() -> Any:
    return timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE))


# The buttons that make a version public, or ask for it to be made public.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")

# A create form's own name for the page it makes: its autosave and its buttons can
# reach the server together, and must make one page (newsroom.views).
DRAFT_KEY_FIELD = "aqparat_draft_key"


class NewsPageForm(WagtailAdminPageForm):
    """The slug preview uses the page's language table (Kazakh 2021, Russian ICAO), so
    what an editor sees in the admin is what the server saves. Times are Almaty
    times, and say so. A save made from an out-of-date editor is stopped once, with
    the editor's changes kept in the form. A page never published takes the next
    free slug when its own is taken (two stories may share a headline); a published
    page's slug changed to a taken one is refused, the text kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug_changed_to = ""
        if self.instance.pk is None:
            self.fields[DRAFT_KEY_FIELD] = forms.UUIDField(
                required=False, widget=forms.HiddenInput, initial=uuid.uuid4
            )
        for name in ("go_live_at", "expire_at"):
            if name in self.fields:
                self.fields[name].help_text = _(
                    "Almaty time (Asia/Almaty, UTC%(offset)s)."
                ) % {"offset": almaty_now().strftime("%z")[:3]}
        if "slug" not in self.fields:
            return
        # Left empty (no JavaScript, or a pasted headline the preview missed), the
        # page makes it from the headline with the same table (NewsPage.full_clean).
        self.fields["slug"].required = False
        locale = self.instance.locale if self.instance.locale_id else None
        if locale is None and self.parent_page is not None:
            locale = self.parent_page.locale
        if locale is not None:
            formatters = slug_formatters(locale.language_code)
            if formatters:
                self.fields["slug"].widget = SlugInput(formatters=formatters)

    def clean(self) -> dict[str, Any]:
        self._slug_make_free()
        cleaned = super().clean()
        self._newer_version_check()
        if not self._may_publish():
            # Scheduling is an editor's decision: the times of someone who cannot
            # publish here are not taken (approval would otherwise apply them).
            for name in ("go_live_at", "expire_at"):
                if name in cleaned:
                    cleaned[name] = getattr(self.instance, name, None)
        return cleaned

    def _slug_make_free(self) -> None:
        """Before Wagtail's check among siblings: an empty slug is made from the
        headline, and a never-published page's taken slug gets a number suffix."""
        if "slug" not in self.cleaned_data or self.parent_page is None:
            return
        if self.instance.first_published_at:
            return  # an empty slug is restored from the published one (NewsPage)
        slug = self.cleaned_data["slug"] or slug_for(
            self.cleaned_data.get("title") or "",
            language_code=self.parent_page.locale.language_code,
        )
        siblings = self.parent_page.get_children()
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        free = slug_unique(slug, taken=set(siblings.values_list("slug", flat=True)))
        if free != self.data.get("slug"):
            self.slug_changed_to = free
        self.cleaned_data["slug"] = free

    def get_field_updates_for_resave(self) -> list[tuple[str, Any]]:
        """An autosaved page's slug may differ from the one the open form shows."""
        updates = list(super().get_field_updates_for_resave())
        if self.slug_changed_to:
            updates.append(("slug", self.slug_changed_to))
        return updates

    def _may_publish(self) -> bool:
        user = getattr(self, "for_user", None)
        if user is None:
            return True
        if self.instance.pk:
            return bool(self.instance.permissions_for_user(user).can_publish())
        if self.parent_page is not None:
            return bool(
                self.parent_page.permissions_for_user(user).can_publish_subpage()
            )
        return False

    def _newer_version_check(self) -> None:
        """Two editors never silently overwrite each other: if someone saved a newer
        version after this editor opened the page, refuse this save and say who.
        The form comes back with the editor's text and now points at the newer
        version, so saving again is a deliberate overwrite."""
        latest = self.instance.latest_revision_id if self.instance.pk else None
        if latest is None:
            return
        # As Wagtail's autosave decides it (EditView.is_out_of_date): this editor's
        # own autosaved revision, when there is one, else the revision they loaded.
        newer = Revision.objects.select_related("user").filter(pk=latest).first()
        if not self._out_of_date(str(latest), newer):
            return
        who = (newer.user.get_full_name() or newer.user.get_username()) if (
            newer and newer.user) else _("Someone")  # fmt: skip
        when = timezone.localtime(newer.created_at) if newer else timezone.localtime()
        raise forms.ValidationError(
            _(
                "%(who)s saved a newer version of this page at %(when)s, after you "
                "opened it. Your changes are still in this form and nothing was "
                "overwritten. Compare with the newer version in the page history, "
                "then save again to replace it with yours."
            )
            % {"who": who, "when": when.strftime("%d.%m.%Y %H:%M")},
            code="newer_version",
        )

    def _out_of_date(self, latest: str, newer: Revision | None) -> bool:
        overwrite = self.data.get("overwrite_revision_id")
        if overwrite:
            return bool(overwrite != latest)
        loaded = self.data.get("loaded_revision_id")
        if not loaded:
            return False
        if loaded != latest:
            return True
        # The latest revision may have been rewritten in place by another editor's
        # autosave since this one loaded it; its creation time then differs.
        loaded_at = self.data.get("loaded_revision_created_at")
        return bool(loaded_at and newer and loaded_at != newer.created_at.isoformat())


class ArticlePageForm(NewsPageForm):
    """A new article opens with its writer's byline (the Author linked to their
    account, in the edition's language), which they may remove, and its section's
    Telegram choice. An article asked
    to be published (or approved for publication) must have its photos' credit and
    alt text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        page, user = kwargs.get("instance"), kwargs.get("for_user")
        parent = kwargs.get("parent_page")
        opening = not args and kwargs.get("data") is None  # a new form, not a post
        if opening and page is not None and page.pk is None and parent is not None:
            page.byline_default_set(user=user, locale_id=parent.locale_id)
            page.telegram_post = getattr(parent, "telegram_default", True)
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the submitted values
        if self._publishing():
            for problem in self.instance.publication_problems():
                self.add_error(None, problem)

    def _publishing(self) -> bool:
        if any(name in self.data for name in PUBLISHING_ACTIONS):
            return True
        return bool(
            "action-workflow-action" in self.data
            and self.data.get("workflow-action-name") == "approve"
        )


class HomePageForm(NewsPageForm):
    """An edition's front page: the stories chosen for it must be of its edition
    (the page chooser shows every edition's pages)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        home_path = self.instance.path
        chosen = self.formsets.get("front_page_stories")
        if not home_path or chosen is None or not chosen.is_bound:
            return cleaned
        chosen.is_valid()  # cleans each row, so its story can be read
        for row in chosen.forms:
            story = getattr(row, "cleaned_data", {}).get("story")
            if story is None or row in chosen.deleted_forms:
                continue
            refusal = front_page_story_refusal(home_path, story)
            if refusal:
                row.add_error("story", refusal)
        return cleaned


def front_page_story_refusal(home_path: str, story: Any) -> str | None:
    """The rule for a front-page choice, shared by the row's model check and the
    home's form: the story must be of the home's edition (below it in the tree).
    None when it is; otherwise the message for the editor."""
    if story.path.startswith(home_path):
        return None
    return str(
        _("Choose a story of this edition: “%(title)s” is not.")
        % {"title": story.title}
    )
