"""Serve the Kazakh Latin edition: every /kk-latn/ response leaves in the 2021 alphabet.

The Latin pages are Wagtail aliases of the Cyrillic ones (services.py keeps them in
step), so they route, list and link like any edition; this middleware transliterates
what they render: headline, lead, body, captions, credits, section and tag names,
navigation and UI strings alike, with the editors' spellings applied first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from aqparat.translit.latin import to_latin
from aqparat.translit.selectors import latin_spellings

# Script and style are copied as they are; in tags only readable attributes change.
_CHUNKS = re.compile(
    r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I
)
_KEEP_SCRIPT = " data-keep-script"
_TEXT_ATTRIBUTES = re.compile(
    r'(\s(?:alt|title|aria-label|placeholder|content|data-copied-label)=")([^"]*)(")',
    re.I,
)


def html_to_latin(html: str, *, overrides: dict[str, str]) -> str:
    """Transliterate the text and the readable attributes of an HTML document."""
    loan = settings.AQPARAT_TRANSLIT_LOAN_LETTERS or None

    def latin(text: str) -> str:
        return to_latin(text, loan_letters=loan, overrides=overrides)

    parts = _CHUNKS.split(html)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            # Text right after a tag marked data-keep-script (e.g. "Қазақша" in the
            # language switcher) is a name in its own script and stays as written.
            if not (i and _KEEP_SCRIPT in parts[i - 1]):
                parts[i] = latin(part)
        elif part[:7].lower() not in ("<script", "<style>", "<style "):
            parts[i] = _TEXT_ATTRIBUTES.sub(
                lambda m: m.group(1) + latin(m.group(2)) + m.group(3), part
            )
    return "".join(parts)


class LatinEditionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            get_language() == settings.LATIN_EDITION_LANGUAGE
            and not request.path.startswith("/admin/")
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
        ):
            html = response.content.decode(response.charset)
            response.content = html_to_latin(html, overrides=latin_spellings())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
