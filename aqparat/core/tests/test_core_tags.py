"""`{% asset %}` and `{% chrome %}`: `{% static %}`, `{% include %}` once a process."""

from __future__ import annotations

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation


def _render(text: str) -> str:
    return Template("{% load static core_tags %}" + text).render(Context())


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
