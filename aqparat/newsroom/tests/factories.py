"""Newsroom staff and the admin's article form, for role and workflow tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from aqparat.news.models import ArticlePage, SectionPage
from aqparat.news.tests.factories import (
    CustomImageFactory,
    SectionPageFactory,
    newsroom_build,
)
from aqparat.newsroom import roles
from aqparat.newsroom.services import desk_assign
from aqparat.users.tests.factories import staff_build


@dataclass
class Desked:
    """A News section run by the News desk, a Sport section without a desk, and one
    member of each role."""

    news: SectionPage
    sport: SectionPage
    journalist: Any
    editor: Any
    chief: Any


def desked_build() -> Desked:
    newsroom = newsroom_build(section_title="News")
    sport = SectionPageFactory(parent=newsroom.home, title="Sport", slug="sport")
    desk = desk_assign(name="News", sections=[newsroom.section])
    return Desked(
        news=newsroom.section,
        sport=sport,
        journalist=staff_build("aigerim", roles.JOURNALISTS),
        editor=staff_build("daniyar", roles.EDITORS, desk.name),
        chief=staff_build("gulnara", roles.CHIEF_EDITORS),
    )


def article_form(*, title: str, action: str | None = None, **fields: Any) -> Any:
    """The article edit form as the admin posts it; `action` is the button pressed
    ("action-publish", "action-submit"), None for "Save draft"."""
    image = fields.pop("lead_image", None) or CustomImageFactory()
    data: dict[str, Any] = {
        "title": title,
        "slug": fields.pop("slug", slugify(title)),
        "lead": fields.pop("lead", "What happened, in one sentence."),
        "lead_image": image.pk,
        "lead_image_caption": "",
        "body": streamfield([("paragraph", rich_text("<p>The story.</p>"))]),
        "source_attributions": inline_formset([]),
        "article_authors": inline_formset([]),
        "corrections": inline_formset([]),
        "tags": "",
        "telegram_post": "on",  # the box as the form opens in a posting section
        **fields,
    }
    if action:
        data[action] = action.removeprefix("action-")
    return nested_form_data(data)


def article_get(title: str) -> ArticlePage:
    return ArticlePage.objects.get(title=title)
