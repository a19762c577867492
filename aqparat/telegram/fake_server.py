"""A local stand-in for the Telegram Bot API, speaking its wire format.

Standard library only. It answers `POST /bot<token>/<method>` (JSON or form bodies;
GET with a query string too) on 127.0.0.1 for the methods the newsroom uses: getMe,
sendMessage, sendPhoto, editMessageText, editMessageCaption and deleteMessage, with
Telegram's envelopes and error texts. It parses `parse_mode=HTML` as Telegram does
(the tag whitelist, entities with UTF-16 offsets, errors at UTF-8 byte offsets),
checks the 4096/1024 length limits, keeps each configured channel's posts, and can
be told to misbehave, one scripted step per send/edit/delete request:

    ok, 429:N, 500, 502, 503, stall, drop, stall-unprocessed, 400-chat, 403, 401

Script steps with `server.script("429:3", "stall")` in tests, or over HTTP:
`POST /__fake__/script` with one step per line as the body; `POST /__fake__/reset`
forgets the script, the posts and the request log. `GET /` shows every channel as a
reader would see it and `GET /<username>/<message_id>` one post, like a t.me link.
Run it on its own with

    python -m aqparat.telegram.fake_server --port 8702 --token 123456789:AAAA... \
        --chat @aqparat_kk --chat @aqparat_ru --chat @aqparat_en

The bot token is a secret even here: the fake never prints or logs it.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import html
import itertools
import json
import re
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from aqparat.telegram.fake_html import (
    Entity,
    HtmlParseError,
    entity_order,
    normalize,
    parse_html,
    utf16_len,
    utf16_slice,
)

Params = dict[str, Any]

DEFAULT_CHATS = ("@aqparat_kk", "@aqparat_ru", "@aqparat_en")
FIRST_CHAT_ID = -1001000000001
MAX_TEXT, MAX_CAPTION = 4096, 1024  # UTF-16 code units, after entity parsing
MAX_BODY = 10 * 1024 * 1024
FAULTS = (
    "ok", "500", "502", "503", "stall", "drop", "stall-unprocessed", "400-chat", "403",
    "401",
)  # fmt: skip
_RETRY_AFTER = re.compile(r"429:(\d{1,6})")
_SCRIPTED = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "editmessagetext",
        "editmessagecaption",
        "deletemessage",
    }
)
_API_PATH = re.compile(r"/bot([^/]*)/([^/]*)")
_POST_PATH = re.compile(r"/([A-Za-z0-9_]{1,64})/(\d{1,18})/?")
_JSON_FIELDS = frozenset(
    {"link_preview_options", "entities", "caption_entities", "reply_markup"}
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A Bot API failure: HTTP status == `error_code`, as Telegram answers."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, int] | None = None
    ) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def envelope(self) -> Params:
        body: Params = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


CHAT_NOT_FOUND = ApiError(400, "Bad Request: chat not found")
FORBIDDEN = ApiError(403, "Forbidden: bot is not a member of the channel chat")
UNAUTHORIZED = ApiError(401, "Unauthorized")
NOT_FOUND = ApiError(404, "Not Found")
SERVER_ERRORS = {
    "500": "Internal Server Error",
    "502": "Bad Gateway",
    "503": "Service Unavailable",
}


def _formatted(
    params: Params, name: str, entities_name: str
) -> tuple[str, list[Entity]]:
    raw = params.get(name)
    text = "" if raw is None else str(raw)
    try:
        text.encode()
    except UnicodeEncodeError:
        raise _bad("strings must be encoded in UTF-8") from None
    mode = str(params.get("parse_mode") or "")
    if mode.lower() == "html":
        try:
            return normalize(*parse_html(text))
        except HtmlParseError as error:
            raise _bad(f"can't parse entities: {error}") from None
    if mode:  # real Telegram also speaks MarkdownV2 and Markdown; this fake does not
        raise _bad("unsupported parse_mode")
    return normalize(text, _given_entities(params.get(entities_name)))


def _given_entities(value: object) -> list[Entity]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(map(_is_entity, value)):
        raise _bad("can't parse entities JSON object")
    return [dict(entity) for entity in value]


def _is_entity(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("type"), str)
        and all(
            type(value.get(key)) is int and value[key] >= 0
            for key in ("offset", "length")
        )
    )


def _check_length(text: str, *, caption: bool) -> None:
    units = utf16_len(text)
    if caption and units > MAX_CAPTION:
        raise _bad("message caption is too long")
    if not caption and not units:
        raise _bad("message text is empty")
    if not caption and units > MAX_TEXT:
        raise _bad("message is too long")


def _link_preview(params: Params) -> Params | None:
    value = params.get("link_preview_options")
    if value is not None and not isinstance(value, dict):
        raise _bad("can't parse link preview options JSON object")
    if value is None and str(params.get("disable_web_page_preview")).lower() == "true":
        return {"is_disabled": True}
    return value


def _photo(params: Params) -> str:
    photo = params.get("photo")
    if not isinstance(photo, str) or not photo.strip():
        raise _bad("there is no photo in the request")
    scheme = photo.split("://", 1)[0].lower() if "://" in photo else ""
    if scheme not in ("", "http", "https") or (not scheme and re.search(r"\s", photo)):
        raise _bad("wrong file identifier/HTTP URL specified")
    return photo


def _photo_sizes(photo: str) -> list[Params]:
    digest = hashlib.sha256(photo.encode()).hexdigest()
    return [
        {
            "file_id": f"AgACAgIAAx0C{digest[:32]}{width}",
            "file_unique_id": f"AQAD{digest[:12]}{label}",
            "file_size": width * height // 8,
            "width": width,
            "height": height,
        }
        for label, width, height in (("s", 90, 51), ("m", 320, 180), ("y", 1280, 720))
    ]


# --- state ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chat:
    id: int
    username: str  # "@name", as configured

    @property
    def name(self) -> str:
        return self.username.removeprefix("@")

    def as_dict(self) -> Params:
        return {
            "id": self.id,
            "title": self.name,
            "username": self.name,
            "type": "channel",
        }


@dataclass
class _Message:
    message_id: int
    chat: _Chat
    date: int
    text: str  # the caption, for a photo
    entities: list[Entity]
    photo: str | None = None  # the URL or file_id it was sent with
    link_preview: Params | None = None
    edit_date: int | None = None

    def as_dict(self) -> Params:
        result: Params = {
            "message_id": self.message_id,
            "sender_chat": self.chat.as_dict(),
            "chat": self.chat.as_dict(),
            "date": self.date,
        }
        if self.edit_date is not None:
            result["edit_date"] = self.edit_date
        entities = copy.deepcopy(self.entities)
        if self.photo is None:
            result["text"] = self.text
            if entities:
                result["entities"] = entities
            if self.link_preview is not None:
                result["link_preview_options"] = copy.deepcopy(self.link_preview)
            return result
        result["photo"] = _photo_sizes(self.photo)
        if self.text:
            result["caption"] = self.text
        if entities:
            result["caption_entities"] = entities
        return result


# --- the server -----------------------------------------------------------------------

# How to answer (answer, stall, drop, stall-unprocessed) and the reply, if any.
Outcome = tuple[str, ApiError | Params | None]


class FakeTelegram(ThreadingHTTPServer):
    """A fake Bot API for one bot `token` posting to the channels `chats`.

    Each "@username" gets a stable id (-1001000000001, -1001000000002, ...) and its
    own message_id counter from 1. `requests` logs every Bot API call as (method as
    sent, params); `messages(chat)` returns a channel's live posts as the API shows
    them. State is guarded by one lock; stalled requests sleep outside it.
    """

    daemon_threads = True

    def __init__(
        self, token: str, chats: Iterable[str] = DEFAULT_CHATS, port: int = 0
    ) -> None:
        if not token or "/" in token:
            raise ValueError("a bot token is required and cannot contain '/'")
        usernames = [c if c.startswith("@") else f"@{c}" for c in chats]
        if len({u.lower() for u in usernames}) != len(usernames):
            raise ValueError("chat usernames must be unique")
        super().__init__(("127.0.0.1", port), _Handler)
        self._token = token
        self.stall_seconds = 30.0
        self.forbidden_chats: set[str] = set()
        self.requests: list[tuple[str, Params]] = []
        self._chats = [_Chat(FIRST_CHAT_ID - n, u) for n, u in enumerate(usernames)]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._script: deque[str] = deque()
        self._posts: dict[int, dict[int, _Message]] = {}
        self._next_id: dict[int, int] = {}
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[Params], object]] = {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "editmessagetext": self._edit_text,
            "editmessagecaption": self._edit_caption,
            "deletemessage": self._delete,
        }
        self.reset()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeTelegram:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes stalled handlers now, not after stall_seconds
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()

    def script(self, *steps: str) -> None:
        """Queue faults; each send/edit/delete request consumes one (getMe never)."""
        unknown = [
            s for s in steps if s not in FAULTS and not _RETRY_AFTER.fullmatch(s)
        ]
        if unknown:
            raise ValueError(f"unknown fault steps {unknown}; known: 429:N, {FAULTS}")
        with self._lock:
            self._script.extend(steps)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self._posts = {chat.id: {} for chat in self._chats}
            self._next_id = {chat.id: 1 for chat in self._chats}

    def messages(self, chat: str | int) -> list[Params]:
        found = self._find_chat(chat)
        if found is None:
            raise KeyError(f"unknown chat {chat!r}")
        with self._lock:
            posts = self._posts[found.id]
            return [posts[key].as_dict() for key in sorted(posts)]

    def chat_id(self, chat: str) -> int:
        found = self._find_chat(chat)
        if found is None:
            raise KeyError(f"unknown chat {chat!r}")
        return found.id

    def handle_error(self, request: Any, client_address: Any) -> None:
        """socketserver prints handler tracebacks to stderr: never with the token."""
        if isinstance(sys.exception(), ConnectionError | TimeoutError):
            return  # clients hanging up, as they do on stalls, are routine
        sys.stderr.write(self.redact(traceback.format_exc()))

    def redact(self, text: str) -> str:
        return re.sub(
            r"/bot[^/\s]*", "/bot<redacted>", text.replace(self._token, "<redacted>")
        )

    # -- requests ----------------------------------------------------------------------

    def call(
        self, token: str, method: str, params: Params, problem: ApiError | None
    ) -> Outcome:
        """Decide one Bot API request: how to answer it, and the reply."""
        with self._lock:
            self.requests.append((method, params))
            if not hmac.compare_digest(token.encode(), self._token.encode()):
                return "answer", UNAUTHORIZED
            handler = self._methods.get(method.lower())
            if handler is None:
                return "answer", NOT_FOUND
            step = "ok"
            if method.lower() in _SCRIPTED and self._script:
                step = self._script.popleft()
            if (fault := _fault(step)) is not None:
                return "answer", fault
            if step == "stall-unprocessed":
                return step, None
            reply = problem or self._perform(handler, params)
            return ("answer" if step == "ok" else step), reply

    @staticmethod
    def _perform(
        handler: Callable[[Params], object], params: Params
    ) -> ApiError | Params:
        try:
            return {"ok": True, "result": handler(params)}
        except ApiError as error:
            return error

    def stall(self) -> None:
        self._stopping.wait(self.stall_seconds)

    def _find_chat(self, value: object) -> _Chat | None:
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,19}\s*", value):
            value = int(value)
        if isinstance(value, str):
            return next(
                (c for c in self._chats if c.username.lower() == value.lower()), None
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return next((c for c in self._chats if c.id == value), None)
        return None

    def _target(self, params: Params) -> _Chat:
        value = params.get("chat_id")
        if value is None or value == "":
            raise _bad("chat_id is empty")
        chat = self._find_chat(value)
        if chat is None:
            raise CHAT_NOT_FOUND
        if any(self._find_chat(entry) == chat for entry in self.forbidden_chats):
            raise FORBIDDEN
        return chat

    def _post(self, chat: _Chat, params: Params, action: str) -> _Message:
        raw = params.get("message_id")
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        if type(raw) is not int:
            raise _bad("message identifier is not specified")
        post = self._posts[chat.id].get(raw)
        if post is None:
            raise _bad(f"message to {action} not found")
        return post

    def _store(
        self, chat: _Chat, text: str, entities: list[Entity], **extra: Any
    ) -> Params:
        message_id = self._next_id[chat.id]
        self._next_id[chat.id] += 1
        post = _Message(message_id, chat, int(time.time()), text, entities, **extra)
        self._posts[chat.id][message_id] = post
        return post.as_dict()

    def _get_me(self, params: Params) -> Params:
        bot_id = self._token.split(":")[0]
        return {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": "Aqparat (fake)",
            "username": "aqparat_fake_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _send_message(self, params: Params) -> Params:
        chat = self._target(params)
        text, entities = _formatted(params, "text", "entities")
        _check_length(text, caption=False)
        return self._store(chat, text, entities, link_preview=_link_preview(params))

    def _send_photo(self, params: Params) -> Params:
        chat = self._target(params)
        photo = _photo(params)
        caption, entities = _formatted(params, "caption", "caption_entities")
        _check_length(caption, caption=True)
        return self._store(chat, caption, entities, photo=photo)

    def _edit_text(self, params: Params) -> Params:
        post = self._post(self._target(params), params, "edit")
        if post.photo is not None:
            raise _bad("there is no text in the message to edit")
        text, entities = _formatted(params, "text", "entities")
        _check_length(text, caption=False)
        preview = _link_preview(params)
        if (text, entities, preview) == (post.text, post.entities, post.link_preview):
            raise _bad(_NOT_MODIFIED)
        post.text, post.entities, post.link_preview = text, entities, preview
        post.edit_date = int(time.time())
        return post.as_dict()

    def _edit_caption(self, params: Params) -> Params:
        post = self._post(self._target(params), params, "edit")
        if post.photo is None:
            raise _bad("there is no caption in the message to edit")
        caption, entities = _formatted(params, "caption", "caption_entities")
        _check_length(caption, caption=True)
        if (caption, entities) == (post.text, post.entities):
            raise _bad(_NOT_MODIFIED)
        post.text, post.entities = caption, entities
        post.edit_date = int(time.time())
        return post.as_dict()

    def _delete(self, params: Params) -> bool:
        chat = self._target(params)
        del self._posts[chat.id][self._post(chat, params, "delete").message_id]
        return True

    # -- pages for people --------------------------------------------------------------

    def index_page(self) -> str:
        with self._lock:
            sections = [
                f"<section><h2>{html.escape(chat.name)} "
                f"<small>{html.escape(chat.username)} · {chat.id}</small></h2>"
                + (
                    "".join(
                        _post_html(p) for p in reversed(self._posts[chat.id].values())
                    )
                    or "<p>No posts yet.</p>"
                )
                + "</section>"
                for chat in self._chats
            ]
        return _page(
            "Fake Telegram", "<h1>Fake Telegram channels</h1>" + "".join(sections)
        )

    def post_page(self, username: str, message_id: int) -> str | None:
        chat = self._find_chat(f"@{username}")
        with self._lock:
            post = self._posts[chat.id].get(message_id) if chat else None
            if chat is None or post is None:
                return None
            body = f"<h1>{html.escape(chat.name)}</h1>{_post_html(post)}"
        return _page(
            f"{chat.name} #{message_id}", body + '<p><a href="/">All channels</a></p>'
        )


def _fault(step: str) -> ApiError | None:
    if match := _RETRY_AFTER.fullmatch(step):
        seconds = int(match[1])
        return ApiError(
            429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
        )
    if step in SERVER_ERRORS:
        return ApiError(int(step), SERVER_ERRORS[step])
    return {"400-chat": CHAT_NOT_FOUND, "403": FORBIDDEN, "401": UNAUTHORIZED}.get(step)


# --- rendering: a post as a reader sees it --------------------------------------------

_HTML_TAGS = {
    "bold": "b", "italic": "i", "underline": "u", "strikethrough": "s", "code": "code",
    "pre": "pre", "blockquote": "blockquote", "expandable_blockquote": "blockquote",
    "spoiler": "span", "text_link": "a",
}  # fmt: skip
_CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;"
    "padding:0 1rem}article{border:1px solid #ccc;border-radius:8px;padding:.75rem;"
    "margin:.75rem 0}img{max-width:100%}.spoiler{background:#ccc}"
    ".meta{color:#666;font-size:.85em}"
)


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def _tags(entity: Entity) -> tuple[str, str]:
    name = _HTML_TAGS[entity["type"]]
    if name == "a":
        url = str(entity.get("url", ""))
        if not _is_web(url):
            return "<span>", "</span>"
        return f'<a href="{html.escape(url)}" rel="nofollow noopener">', "</a>"
    if name == "span":
        return '<span class="spoiler">', "</span>"
    return f"<{name}>", f"</{name}>"


def render(text: str, entities: list[Entity]) -> str:
    """Plain text + entities as HTML: every character escaped, entities as tags."""
    size = utf16_len(text)
    shown = sorted((e for e in entities if e["type"] in _HTML_TAGS), key=entity_order)
    spans = [(e["offset"], min(e["offset"] + e["length"], size)) for e in shown]
    bounds = sorted({0, size, *(b for span in spans for b in span if 0 <= b <= size)})
    parts: list[str] = []
    stack: list[int] = []  # indexes into `shown` of the tags open now, outermost first
    for start, end in itertools.pairwise(bounds):
        active = [n for n, (a, b) in enumerate(spans) if a <= start and end <= b]
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] == active[keep]:
            keep += 1
        parts += [_tags(shown[n])[1] for n in reversed(stack[keep:])]
        parts += [_tags(shown[n])[0] for n in active[keep:]]
        stack = active
        parts.append(html.escape(utf16_slice(text, start, end)).replace("\n", "<br>"))
    parts += [_tags(shown[n])[1] for n in reversed(stack)]
    return "".join(parts)


def _post_html(post: _Message) -> str:
    photo = ""
    if post.photo is not None and _is_web(post.photo):
        photo = f'<img src="{html.escape(post.photo)}" alt="">'
    elif post.photo is not None:
        photo = f'<p class="meta">photo {html.escape(post.photo)}</p>'
    when = datetime.fromtimestamp(post.date, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    edited = " · edited" if post.edit_date is not None else ""
    link = f"/{html.escape(post.chat.name)}/{post.message_id}"
    return (
        f"<article>{photo}<div>{render(post.text, post.entities)}</div>"
        f'<p class="meta"><a href="{link}">#{post.message_id}</a> · {when}{edited}</p>'
        "</article>"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


# --- HTTP -----------------------------------------------------------------------------


def _params(query: str, body: bytes, content_type: str) -> Params:
    """Bot API parameters from the query string and a JSON or form body."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        params: Params = dict(parse_qsl(query, keep_blank_values=True, errors="strict"))
        if kind == "application/x-www-form-urlencoded":
            form = body.decode()
            params.update(parse_qsl(form, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise _bad("strings must be encoded in UTF-8") from None
    for key in _JSON_FIELDS & params.keys():  # JSON-valued fields arrive as strings
        try:
            params[key] = json.loads(params[key])
        except ValueError:
            pass
    if kind == "application/json" and body.strip():
        try:
            data = json.loads(body)
        except ValueError:
            raise _bad("can't parse JSON object") from None
        if not isinstance(data, dict):
            raise _bad("can't parse JSON object")
        params.update(data)
    elif kind.startswith("multipart/"):  # real Telegram takes uploads; the fake not
        raise _bad("the fake Telegram takes JSON or form bodies, not multipart")
    return params


class _Handler(BaseHTTPRequestHandler):
    server: FakeTelegram

    def log_message(self, format: str, *args: object) -> None:
        """Quiet. Access and error logs (log_error ends here too) would carry
        `/bot<token>/` in the request line, so nothing is logged at all."""

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        # Error pages for malformed requests quote the request line; redact it.
        redact = self.server.redact
        super().send_error(
            code, message and redact(message), explain and redact(explain)
        )

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if match := _API_PATH.fullmatch(url.path):
            return self._api(match, url.query, b"")
        if url.path == "/":
            return self._send_html(200, self.server.index_page())
        match = _POST_PATH.fullmatch(url.path)
        page = self.server.post_page(match[1], int(match[2])) if match else None
        if page is None:
            return self._send_html(404, _page("Not found", "<h1>Not found</h1>"))
        return self._send_html(200, page)

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            self.close_connection = True
            return self._send_json(
                413, ApiError(413, "Request Entity Too Large").envelope()
            )
        body = self.rfile.read(int(length))
        url = urlsplit(self.path)
        if match := _API_PATH.fullmatch(url.path):
            return self._api(match, url.query, body)
        if url.path == "/__fake__/script":
            steps = [
                line.strip() for line in body.decode(errors="replace").splitlines()
            ]
            try:
                self.server.script(*filter(None, steps))
            except ValueError as error:
                return self._send_text(400, str(error))
            return self._send_text(200, "ok")
        if url.path == "/__fake__/reset":
            self.server.reset()
            return self._send_text(200, "ok")
        return self._send_json(404, NOT_FOUND.envelope())

    def _api(self, match: re.Match[str], query: str, body: bytes) -> None:
        problem = None
        try:
            params = _params(query, body, self.headers.get("Content-Type") or "")
        except ApiError as error:
            params, problem = {}, error
        token, method = unquote(match[1]), unquote(match[2])
        how, reply = self.server.call(token, method, params, problem)
        if how in ("stall", "stall-unprocessed"):
            self.server.stall()
        if how != "answer" or reply is None:
            self.close_connection = True  # hang up without a word
            return
        if isinstance(reply, ApiError):
            return self._send_json(reply.code, reply.envelope())
        return self._send_json(200, reply)

    def _send_json(self, status: int, body: Params) -> None:
        self._send(
            status, json.dumps(body, ensure_ascii=False).encode(), "application/json"
        )

    def _send_html(self, status: int, page: str) -> None:
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _send_text(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if content_type.startswith("text/html"):
            # Belt and braces for the escaping above: no scripts, images from the web.
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'",
            )
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, default=8702)
    parser.add_argument("--token", required=True, help="the bot token (never printed)")
    parser.add_argument(
        "--chat", action="append", dest="chats", help="a channel @username; repeatable"
    )
    args = parser.parse_args(argv)
    server = FakeTelegram(args.token, args.chats or DEFAULT_CHATS, args.port)
    chats = ", ".join(chat.username for chat in server._chats)
    print(f"Fake Telegram on {server.base_url} for {chats}", flush=True)  # noqa: T201
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
