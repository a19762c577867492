"""The text of a Telegram post: headline in bold, lead, link, in the Bot API's HTML.

Telegram counts a message's length after parsing the markup, in UTF-16 code units
(most emoji count two), and rejects what is too long. So the plain text is measured
and cut first, and only then escaped and marked up. A cut never splits a grapheme
cluster (an emoji ZWJ sequence, a flag, a letter with combining marks); it prefers a
word boundary and ends with an ellipsis.
"""

from __future__ import annotations

import html
import unicodedata

import regex

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"
SEPARATOR = "\n\n"
_GRAPHEME = regex.compile(r"\X")
# Control characters pasted from word processors (keep tab and newline).
_CONTROL = regex.compile(r"[\p{Cc}\p{Cs}\p{Co}--[\t\n]]", flags=regex.V1)
_SPACES = regex.compile(r"[ \t\u00a0]+")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def clean(text: str, *, single_line: bool = False) -> str:
    """NFC, no control characters, tidy spaces; a headline becomes one line."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text).replace("\r\n", "\n"))
    if single_line:
        text = text.replace("\n", " ")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` UTF-16 units, else its longest safe head + "…"."""
    if utf16_len(text) <= limit:
        return text
    budget = limit - utf16_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for grapheme in _GRAPHEME.findall(text):
        size = utf16_len(grapheme)
        if used + size > budget:
            break
        kept.append(grapheme)
        used += size
    head = "".join(kept)
    boundary = max(head.rfind(" "), head.rfind("\n"))
    if boundary >= len(head) * 0.6:  # a word boundary not too far back
        head = head[:boundary]
    return head.rstrip(" \n,;:-–—") + ELLIPSIS if head else ""


def post_html(
    *, headline: str, lead: str, url: str, link_label: str, limit: int, note: str = ""
) -> str:
    """The post for `parse_mode=HTML`, at most `limit` units once Telegram parses it.
    A `note` (the latest correction) follows the lead in italics, cut first to a
    quarter of the room so the headline and lead keep theirs."""
    headline = clean(headline, single_line=True)
    lead = clean(lead)
    note = clean(note)
    link_label = clean(link_label, single_line=True)
    fixed = utf16_len(link_label) + 2 * utf16_len(SEPARATOR)
    if note:
        note = cut(note, max(1, (limit - fixed) // 4))
        fixed += utf16_len(note) + utf16_len(SEPARATOR)
    headline = cut(headline, max(1, (limit - fixed) // 2))
    lead = cut(lead, limit - fixed - utf16_len(headline))
    parts = [f"<b>{_escape(headline)}</b>"]
    if lead:
        parts.append(_escape(lead))
    if note:
        parts.append(f"<i>{_escape(note)}</i>")
    parts.append(f'<a href="{html.escape(url, quote=True)}">{_escape(link_label)}</a>')
    return SEPARATOR.join(parts)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
