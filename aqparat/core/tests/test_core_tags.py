"""`{% asset %}` and `{% chrome %}`: `{% static %}`, `{% include %}` once a process;
`|rich_text`: Wagtail's `|richtext` without its template."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from wagtail.rich_text import RichText

from aqparat.news.tests.factories import editions_build, story_build


def _render(text: str) -> str:
    return Template("{% load static core_tags %}" + text).render(Context())


def _render_value(text: str, value: Any) -> str:
    return Template("{% load core_tags %}" + text).render(Context({"value": value}))


def test_an_asset_is_the_static_url_escaped_alike() -> None:
    for path in ("css/site.css", "img/logo.png", "js/a&b.js"):
        assert _render(f"{{% asset '{path}' %}}") == _render(f"{{% static '{path}' %}}")


def test_another_static_storage_is_looked_up_anew() -> None:
    before = _render("{% asset 'css/site.css' %}")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert _render("{% asset 'css/site.css' %}") == "/elsewhere/css/site.css"
    assert _render("{% asset 'css/site.css' %}") == before


def test_chrome_is_its_component_rendered_in_the_active_language() -> None:
    """The header's search form: what `{% include %}` printed, in each language,
    and never another language's copy."""
    for language in ("kk", "ru", "en", "kk-latn"):
        with translation.override(language):
            included = _render(
                '{% include "components/search_form.html" with suffix="-header" %}'
            )
            kept = _render(
                '{% chrome "components/search_form.html" suffix="-header" %}'
            )
            assert kept == included
            assert kept == _render(
                '{% chrome "components/search_form.html" suffix="-header" %}'
            )
            assert f'action="/{language}/search/"' in kept


@pytest.mark.django_db
def test_rich_text_is_what_wagtails_filter_prints() -> None:
    """`|rich_text` skips Wagtail's per-value template, nothing else: page links
    expanded, markup and entities as stored."""
    editions = editions_build(("en",))
    story = story_build(editions, {"en": "A new bridge opens in Astana"})["en"]
    source = (
        f'<p>See <a linktype="page" id="{story.pk}">the bridge</a> &amp; '
        '<b>more</b> <a href="https://example.com/?a=1&amp;b=2">here</a>.</p>'
    )
    for value in (RichText(source), source, RichText(""), None):
        ours = _render_value("{{ value|rich_text }}", value)
        wagtails = _render_value(
            "{% load wagtailcore_tags %}{{ value|richtext }}", value
        )
        assert ours == wagtails
    assert story.url in _render_value("{{ value|rich_text }}", source)
