"""Telegram's `parse_mode=HTML` and the text it keeps, for the fake Bot API.

Standard library only; see fake_server.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

Entity = dict[str, Any]

# --- parse_mode=HTML ----------------------------------------------------------------
# A port of tdlib's parse_html (td/telegram/MessageEntity.cpp), which the Bot API
# runs. It walks the UTF-8 bytes, so error offsets are byte offsets. Like Telegram it
# is strict about `<`: every `<` must open or close a whitelisted tag, so `a < b`
# fails with `Unsupported start tag "" at byte offset 2` (callers must escape it),
# while `&` is lenient: only &lt; &gt; &amp; &quot; and numeric references (the `;`
# optional) are decoded, and any other `&` stays a literal `&`.

TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler",
    "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}  # fmt: skip
# tdlib's sort order for entities at the same offset and length
_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20,
    "text_link": 49, "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93,
    "spoiler": 94, "custom_emoji": 99,
}  # fmt: skip
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACES = frozenset(b" \t\n\r\v\f")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset(b"0123456789")
_HEX = _DIGITS | frozenset(b"abcdefABCDEF")
_NAME_TOKEN = _ALPHA | _DIGITS | frozenset(b".-")
_LT, _GT, _AMP, _SLASH, _EQ = (ord(c) for c in "<>&/=")


class HtmlParseError(Exception):
    """Telegram's reason, to follow "Bad Request: can't parse entities: "."""


def _decode_entity(src: bytes, pos: int) -> tuple[str, int] | None:
    """The character referenced at `src[pos] == "&"` and the position after it."""
    end = pos + 1
    if src[end : end + 1] == b"#":
        end += 1
        digits, base = (_HEX, 16) if src[end : end + 1] == b"x" else (_DIGITS, 10)
        if base == 16:
            end += 1
        start = end
        while end < len(src) and src[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(src[start:end], base)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        while end < len(src) and src[end] in _ALPHA:
            end += 1
        if (named := _NAMED.get(src[pos + 1 : end])) is None:
            return None
        char = named
    return char, end + (src[end : end + 1] == b";")


def _encode(char: str) -> bytes:
    return char.encode("utf-8", "surrogatepass")


class _HtmlParser:
    def __init__(self, markup: bytes) -> None:
        self.src, self.i = markup, 0
        self.out = bytearray()
        self.units = 0  # UTF-16 length of `out`
        # the open tags: name, argument, UTF-16 offset, len(out) at the start
        self.open: list[tuple[str, str, int, int]] = []
        self.entities: list[Entity] = []
        self.surrogate = False

    def parse(self) -> tuple[str, list[Entity]]:
        while self.i < len(self.src):
            c = self.src[self.i]
            if c == _AMP and self._reference():
                continue
            if c == _LT:
                self._tag()
                continue
            self.out.append(c)
            self.units += _lead_byte_units(c)
            self.i += 1
        if self.open:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.open[-1][0]}"'
            )
        if self.surrogate:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML "
                "entities, check for unmatched surrogate code units"
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        return self.out.decode(), sorted(self.entities, key=entity_order)

    def _at(self, i: int) -> int:
        return self.src[i] if i < len(self.src) else 0  # 0 is tdlib's end of text

    def _skip_spaces(self) -> None:
        while self._at(self.i) in _SPACES:
            self.i += 1

    def _skip_word(self, stop: bytes) -> None:
        while (c := self._at(self.i)) and c not in _SPACES and c not in stop:
            self.i += 1

    def _reference(self) -> bool:
        decoded = _decode_entity(self.src, self.i)
        if decoded is None:
            return False
        char, self.i = decoded
        self.surrogate |= "\ud800" <= char <= "\udfff"
        self.out += _encode(char)
        self.units += 2 if ord(char) > 0xFFFF else 1
        return True

    def _tag(self) -> None:
        begin = self.i
        self.i += 1
        if self._at(self.i) == _SLASH:
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _start_tag(self, begin: int) -> None:
        self._skip_word(b">")
        if not self._at(self.i):
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        tag = self.src[begin + 1 : self.i].lower().decode(errors="replace")
        if tag not in TAG_ENTITY:
            raise HtmlParseError(
                f'Unsupported start tag "{tag}" at byte offset {begin}'
            )
        argument = self._attributes(tag, begin)
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.i += 1
        self.open.append((tag, argument, self.units, len(self.out)))

    def _attributes(self, tag: str, begin: int) -> str:
        argument = ""
        while self._at(self.i) != _GT:
            self._skip_spaces()
            if self._at(self.i) == _GT:
                break
            if not self._at(self.i):
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            name_begin = self.i
            self._skip_word(b"=>")
            name = self.src[name_begin : self.i].lower().decode(errors="replace")
            if not name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            self._skip_spaces()
            if self._at(self.i) != _EQ:  # an attribute without a value
                argument = _argument(tag, name, "", argument)
                continue
            self.i += 1
            self._skip_spaces()
            if not self._at(self.i):
                raise HtmlParseError(
                    f'Unclosed start tag "{tag}" at byte offset {begin}'
                )
            value = self._attribute_value()
            if not self._at(self.i):
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            argument = _argument(tag, name, value, argument)
        return argument

    def _attribute_value(self) -> str:
        quote = self._at(self.i)
        if quote not in b"'\"":  # a name token: letters, digits, periods, hyphens
            start = self.i
            while self._at(self.i) in _NAME_TOKEN:
                self.i += 1
            if (c := self._at(self.i)) and c not in _SPACES and c != _GT:
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {start}"
                )
            return self.src[start : self.i].lower().decode()
        self.i += 1
        value = bytearray()
        while (c := self._at(self.i)) and c != quote:
            if c == _AMP and (decoded := _decode_entity(self.src, self.i)):
                char, self.i = decoded
                value += _encode(char)
            else:
                value.append(c)
                self.i += 1
        if self._at(self.i) == quote:
            self.i += 1
        return value.decode(errors="replace")

    def _end_tag(self, begin: int) -> None:
        if not self.open:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        self.i += 1
        self._skip_word(b">")
        name = self.src[begin + 2 : self.i].lower().decode(errors="replace")
        self._skip_spaces()
        if self._at(self.i) != _GT:
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        tag, argument, offset, out_at = self.open[-1]
        if name and name != tag:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {begin}, "
                f'expected "</{tag}>", found "</{name}>"'
            )
        self.open.pop()
        self.i += 1
        if self.units > offset:
            self._add(tag, argument, offset, out_at)

    def _add(self, tag: str, argument: str, offset: int, out_at: int) -> None:
        entity: Entity = {"offset": offset, "length": self.units - offset}
        entity["type"] = kind = TAG_ENTITY[tag]
        last = self.entities[-1] if self.entities else {}
        same_span = (last.get("offset"), last.get("length")) == (
            offset,
            entity["length"],
        )
        if (
            same_span
            and kind == "pre"
            and last["type"] == "code"
            and "language" in last
        ):
            last["type"] = (
                "pre"  # <pre><code class="language-x">: one pre with language
            )
            return
        if same_span and kind == "code" and last["type"] == "pre" and argument:
            last["language"] = argument
            return
        if kind == "code" and argument:
            entity["language"] = argument
        elif kind == "text_link":
            url = _checked_link(argument or self.out[out_at:].decode(errors="replace"))
            if url is None:
                return  # Telegram drops links it cannot use, silently
            entity["url"] = url
        elif kind == "custom_emoji":
            if (
                not re.fullmatch(r"[0-9]{1,19}", argument)
                or not 0 < int(argument) < 2**63
            ):
                raise HtmlParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = argument
        elif kind == "blockquote" and argument:
            entity["type"] = "expandable_blockquote"
        self.entities.append(entity)


def _argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":  # with any value, or none
        return "expandable"
    return current


def _lead_byte_units(c: int) -> int:
    """UTF-16 units of the character a UTF-8 byte starts (0 for continuation bytes)."""
    if c & 0xC0 == 0x80:
        return 0
    return 2 if c >= 0xF0 else 1


def entity_order(entity: Entity) -> tuple[int, int, int]:
    return entity["offset"], -entity["length"], _PRIORITY.get(entity["type"], 50)


def _checked_link(url: str) -> str | None:
    """Roughly tdlib's get_checked_link: http(s), tg: and ton: links only; no scheme
    means http://, and an empty path becomes "/"."""
    if url.lower().startswith(("tg:", "ton:")):
        return url
    if "://" not in url:
        url = f"http://{url}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not re.fullmatch(
        r"[\w.-]+", host
    ):
        return None
    return urlunsplit(parts._replace(path=parts.path or "/"))


def parse_html(markup: str) -> tuple[str, list[Entity]]:
    """Telegram's `parse_mode=HTML`: (plain text, entities), or HtmlParseError."""
    return _HtmlParser(markup.encode()).parse()


# --- what Telegram stores -------------------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le", "replace")


_DROPPED = frozenset("\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e")


def normalize(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """The text Telegram keeps, after tdlib's fix_formatted_text: CR, line/paragraph
    separators and bidi embeddings go, other control characters become spaces,
    entities of whitespace only go, and spaces and newlines are trimmed (on the left
    only up to the first entity)."""
    kept: list[str] = []
    moved_to = [0]  # moved_to[old UTF-16 offset] = new UTF-16 offset
    for char in text:
        new = "" if char in _DROPPED else " " if char < " " and char != "\n" else char
        kept.append(new)
        base = moved_to[-1]
        moved_to += [base + 1, base + 2] if ord(char) > 0xFFFF else [base + len(new)]
    clean, last = "".join(kept), len(moved_to) - 1
    fixed = []
    for entity in entities:
        start = moved_to[min(entity["offset"], last)]
        end = moved_to[min(entity["offset"] + entity["length"], last)]
        if utf16_slice(clean, start, end).strip(" \n"):
            fixed.append({**entity, "offset": start, "length": end - start})
    body = clean.rstrip(" \n")
    limit = utf16_len(body)
    lead = len(body) - len(body.lstrip(" \n"))  # spaces and newlines: 1 unit each
    lead = min([lead, *(entity["offset"] for entity in fixed)])
    for entity in fixed:
        entity["length"] = (
            min(entity["offset"] + entity["length"], limit) - entity["offset"]
        )
        entity["offset"] -= lead
    return body[lead:], sorted(fixed, key=entity_order)
