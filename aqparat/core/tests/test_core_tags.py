"""`{% asset %}`: Django's `{% static %}`, looked up once a process."""

from __future__ import annotations

from django.template import Context, Template
from django.test import override_settings


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
