"""The fake Telegram speaks the Bot API's wire format: envelopes, HTML parsing,
length limits, edits, scripted faults and a page for people; it never says the token.
"""

from __future__ import annotations

import html
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from aqparat.telegram.fake_html import parse_html
from aqparat.telegram.fake_server import FakeTelegram

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # noqa: S105 - made up
KK, RU, EN = "@aqparat_kk", "@aqparat_ru", "@aqparat_en"
KK_ID, RU_ID, EN_ID = -1001000000001, -1001000000002, -1001000000003
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)
HANG_UP = (ConnectionError, TimeoutError, urllib.error.URLError)
Reply = tuple[int, dict[str, Any]]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN).start()
    fake.stall_seconds = 2
    yield fake
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 1


@pytest.fixture
def fake(server: FakeTelegram) -> FakeTelegram:
    server.reset()
    server.forbidden_chats.clear()
    return server


def _open(
    url: str, data: bytes | None = None, timeout: float = 5.0, **headers: str
) -> tuple[int, str, bytes]:
    # The URL is always the fake's loopback base_url.
    request = urllib.request.Request(url, data, headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def post(url: str, data: bytes, content_type: str, timeout: float = 5.0) -> Reply:
    status, received_type, body = _open(
        url, data, timeout, **{"Content-Type": content_type}
    )
    assert received_type == "application/json"
    return status, json.loads(body)


def call(
    fake: FakeTelegram,
    method: str,
    *,
    token: str = TOKEN,
    timeout: float = 5.0,
    **params: Any,
) -> Reply:
    url = f"{fake.base_url}/bot{token}/{method}"
    return post(url, json.dumps(params).encode(), "application/json", timeout)


def send(fake: FakeTelegram, text: str, chat: str | int = KK, **params: Any) -> Any:
    """sendMessage with parse_mode=HTML, which must succeed: its result."""
    status, body = call(
        fake, "sendMessage", chat_id=chat, text=text, parse_mode="HTML", **params
    )
    assert (status, body["ok"]) == (200, True), body
    return body["result"]


def error(fake: FakeTelegram, method: str, **params: Any) -> tuple[int, str]:
    status, body = call(fake, method, **params)
    assert body["ok"] is False
    assert body["error_code"] == status
    return status, body["description"]


def get(fake: FakeTelegram, path: str) -> tuple[int, str, str]:
    status, content_type, body = _open(fake.base_url + path)
    return status, content_type, body.decode()


def control(fake: FakeTelegram, path: str, body: str) -> tuple[int, str]:
    status, _, answer = _open(fake.base_url + path, body.encode())
    return status, answer.decode()


def texts(fake: FakeTelegram, chat: str = KK) -> list[str]:
    return [m["text"] if "text" in m else m["caption"] for m in fake.messages(chat)]


# --- envelopes, chats, routing -----------------------------------------------------


def test_send_message_answers_with_telegrams_envelope(fake: FakeTelegram) -> None:
    status, body = call(fake, "sendMessage", chat_id=KK, text="Сәлем, әлем!")

    channel = {
        "id": KK_ID,
        "title": "aqparat_kk",
        "username": "aqparat_kk",
        "type": "channel",
    }
    date = body["result"]["date"]
    assert status == 200
    assert body == {
        "ok": True,
        "result": {
            "message_id": 1,
            "sender_chat": channel,
            "chat": channel,
            "date": date,
            "text": "Сәлем, әлем!",
        },
    }
    assert abs(date - time.time()) < 5
    assert fake.messages(KK) == [body["result"]]
    assert fake.requests == [("sendMessage", {"chat_id": KK, "text": "Сәлем, әлем!"})]


def test_chats_have_stable_ids_and_a_message_counter_each(fake: FakeTelegram) -> None:
    assert [fake.chat_id(chat) for chat in (KK, RU, EN)] == [KK_ID, RU_ID, EN_ID]

    chats = (RU_ID, str(RU_ID), "@AQPARAT_RU", EN)
    ids = [send(fake, "x", chat)["message_id"] for chat in chats]

    assert ids == [1, 2, 3, 1]
    assert [m["chat"]["id"] for m in fake.messages(RU_ID)] == [RU_ID] * 3
    assert fake.messages(KK) == []
    with pytest.raises(KeyError):
        fake.chat_id("@nope")


def test_wrong_token_unknown_method_and_method_case(fake: FakeTelegram) -> None:
    assert call(fake, "sendMessage", token="123456789:wrong", chat_id=KK, text="x") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert call(fake, "sendPigeon", chat_id=KK, text="x") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert call(fake, "SENDMESSAGE", chat_id=KK, text="x")[0] == 200
    assert call(fake, "getme")[1]["result"]["id"] == 123456789
    assert [method for method, _ in fake.requests] == [
        "sendMessage",
        "sendPigeon",
        "SENDMESSAGE",
        "getme",
    ]
    assert texts(fake) == ["x"]


def test_unknown_and_forbidden_chats(fake: FakeTelegram) -> None:
    not_found = (400, "Bad Request: chat not found")
    assert error(fake, "sendMessage", chat_id="@nope", text="x") == not_found
    assert error(fake, "sendMessage", chat_id=-100123, text="x") == not_found

    fake.forbidden_chats.add(RU)

    forbidden = (403, "Forbidden: bot is not a member of the channel chat")
    assert error(fake, "sendMessage", chat_id=RU_ID, text="x") == forbidden
    assert call(fake, "sendMessage", chat_id=KK, text="x")[0] == 200
    assert fake.messages(RU) == []


def test_form_bodies_and_get_queries(fake: FakeTelegram) -> None:
    form = urllib.parse.urlencode(
        {
            "chat_id": KK,
            "text": "<b>Қазақ</b> тілі",
            "parse_mode": "HTML",
            "link_preview_options": json.dumps({"is_disabled": True}),
        }
    )
    url = f"{fake.base_url}/bot{TOKEN}/sendMessage"

    status, body = post(url, form.encode(), "application/x-www-form-urlencoded")

    assert status == 200
    assert body["result"]["entities"] == [{"offset": 0, "length": 5, "type": "bold"}]
    assert body["result"]["link_preview_options"] == {"is_disabled": True}
    status, _, page = get(fake, f"/bot{TOKEN}/getMe")
    assert (status, json.loads(page)["result"]["is_bot"]) == (200, True)


# --- parse_mode=HTML ---------------------------------------------------------------


def test_entities_are_measured_in_utf16_units_after_an_emoji(
    fake: FakeTelegram,
) -> None:
    href = "https://aqparat.kz/kk/a?x=1&amp;y=&quot;2&quot;"
    result = send(fake, f'🇰🇿 <b>Жаңалық</b> <a href="{href}">толығы</a>')

    assert result["text"] == "🇰🇿 Жаңалық толығы"
    assert result["entities"] == [
        {"offset": 5, "length": 7, "type": "bold"},
        {
            "offset": 13,
            "length": 6,
            "type": "text_link",
            "url": 'https://aqparat.kz/kk/a?x=1&y="2"',
        },
    ]


def test_character_references(fake: FakeTelegram) -> None:
    result = send(
        fake, "&lt;t&gt; A &amp; B &quot;q&quot; &#1178;&#x1F600; AT&T &nbsp;"
    )

    assert result["text"] == '<t> A & B "q" Қ😀 AT&T &nbsp;'
    assert "entities" not in result


def test_every_whitelisted_tag(fake: FakeTelegram) -> None:
    markup = (
        "<B>b</B><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s>"
        "<strike>s</strike><del>s</del><span class='tg-spoiler'>p</span>"
        "<tg-spoiler>p</tg-spoiler><code>c</code>"
        '<pre><code class="language-python">x</code></pre><blockquote>q</blockquote>'
        '<blockquote expandable>e</blockquote><tg-emoji emoji-id="53683">👍</tg-emoji>'
    )

    result = send(fake, markup)

    assert result["text"] == "bbiiuusssppcxqe👍"
    kinds = ["bold"] * 2 + ["italic"] * 2 + ["underline"] * 2 + ["strikethrough"] * 3
    kinds += ["spoiler"] * 2 + ["code", "pre", "blockquote", "expandable_blockquote"]
    assert [(e["type"], e["offset"], e["length"]) for e in result["entities"]] == [
        *((kind, n, 1) for n, kind in enumerate(kinds)),
        ("custom_emoji", 15, 2),
    ]
    assert result["entities"][12]["language"] == "python"
    assert result["entities"][15]["custom_emoji_id"] == "53683"


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("Hello world <oops>", 'Unsupported start tag "oops" at byte offset 12'),
        ("Сәлем <oops>", 'Unsupported start tag "oops" at byte offset 11'),
        ("🇰🇿 <br>", 'Unsupported start tag "br" at byte offset 9'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        (
            "<b>x</i>",
            'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
        ),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<i>a</i   ", "Unclosed end tag at byte offset 4"),
        (
            "<span class=x>s</span>",
            'Tag "span" must have class "tg-spoiler" at byte offset 0',
        ),
        ("<a href=a,b>x</a>", "Unexpected end of name token at byte offset 8"),
    ],
)
def test_html_errors_point_at_utf8_byte_offsets(
    fake: FakeTelegram, markup: str, reason: str
) -> None:
    params = {"chat_id": KK, "text": markup, "parse_mode": "HTML"}

    assert error(fake, "sendMessage", **params) == (
        400,
        f"Bad Request: can't parse entities: {reason}",
    )
    assert fake.messages(KK) == []


@pytest.mark.parametrize(
    "headline",
    [
        "<script>alert(1)</script>",
        "A & B",
        "</b>",
        "<b>unclosed",
        "5 > 3 < 4",
        "\"Quotes\" & 'apostrophes'",
        "&amp; &lt; already escaped",
        "👩‍💻 Әйел бағдарламашы",
        "🇰🇿 Қазақстан",
        "Cafe\u0301 and Й\u0308",
    ],
)
def test_escaped_hostile_headlines_round_trip(
    fake: FakeTelegram, headline: str
) -> None:
    escaped = html.escape(headline, quote=False)

    result = send(fake, f"<b>{escaped}</b>\n{escaped}")

    assert result["text"] == f"{headline}\n{headline}"
    units = len(headline.encode("utf-16-le")) // 2
    assert result["entities"] == [{"offset": 0, "length": units, "type": "bold"}]


@pytest.mark.parametrize(
    ("markup", "text", "entities"),
    [  # cases from tdlib's test/message_entities.cpp, which the Bot API runs
        ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [("italic", 5, 6)]),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.>a</i>", "🏟 🏟<a", [("italic", 6, 1)]),
        ("🏟 🏟&lt;<i>🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [("italic", 6, 6)]),
        ("<a href=telegram.org>\n</a>", "\n", [("text_link", 0, 1)]),
        ("<a>telegram.org </a>", "telegram.org ", []),
        ("<pre><code>x</code></pre>", "x", [("pre", 0, 1), ("code", 0, 1)]),
        ("<blockquote expandable=false>a</>", "a", [("expandable_blockquote", 0, 1)]),
        ("&#12345678; &Or; <b></b>", "&#12345678; &Or; ", []),
    ],
)
def test_parser_agrees_with_tdlib(
    markup: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed_text, parsed = parse_html(markup)

    assert parsed_text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed] == entities


def test_links_are_checked_like_telegram() -> None:
    _, entities = parse_html(
        "<a href='telegram.org?&lt;'>a</a><a href='javascript:alert(1)'>b</a>"
    )

    assert entities == [
        {"offset": 0, "length": 1, "type": "text_link", "url": "http://telegram.org/?<"}
    ]


# --- what Telegram keeps, and its limits -------------------------------------------


def test_text_is_trimmed_and_cleaned_as_telegram_keeps_it(fake: FakeTelegram) -> None:
    result = send(fake, " \n<b>Hi</b>\tthere\r\n \n")

    assert result["text"] == "Hi there"
    assert result["entities"] == [{"offset": 0, "length": 2, "type": "bold"}]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("ә" * 4096, True),
        ("ә" * 4097, False),
        ("😀" * 2048, True),
        ("😀" * 2048 + "a", False),  # 2049 characters, 4097 UTF-16 units
        (f"<b>{'x' * 4096}</b>", True),  # markup does not count
    ],
)
def test_text_limit_counts_utf16_units(
    fake: FakeTelegram, text: str, accepted: bool
) -> None:
    status, body = call(fake, "sendMessage", chat_id=KK, text=text, parse_mode="HTML")

    if accepted:
        assert status == 200
    else:
        assert (status, body["description"]) == (
            400,
            "Bad Request: message is too long",
        )
        assert fake.messages(KK) == []


@pytest.mark.parametrize("text", ["", " \n\t ", "<b></b>", "<b> </b>\n"])
def test_empty_text_is_refused(fake: FakeTelegram, text: str) -> None:
    params = {"chat_id": KK, "text": text, "parse_mode": "HTML"}

    assert error(fake, "sendMessage", **params) == (
        400,
        "Bad Request: message text is empty",
    )


def test_photo_posts_and_the_caption_limit(fake: FakeTelegram) -> None:
    photo = "https://aqparat.kz/media/a.jpg"
    caption = "<b>Фото</b>: " + "қ" * 1018  # 1024 units

    status, body = call(
        fake, "sendPhoto", chat_id=KK, photo=photo, caption=caption, parse_mode="HTML"
    )

    result = body["result"]
    assert status == 200
    assert "text" not in result
    assert result["caption"] == "Фото: " + "қ" * 1018
    assert result["caption_entities"] == [{"offset": 0, "length": 4, "type": "bold"}]
    assert len(result["photo"]) == 3
    for size in result["photo"]:
        assert set(size) == {
            "file_id",
            "file_unique_id",
            "file_size",
            "width",
            "height",
        }
    too_long = {"chat_id": KK, "photo": photo, "caption": caption + "қ"}
    assert error(fake, "sendPhoto", parse_mode="HTML", **too_long) == (
        400,
        "Bad Request: message caption is too long",
    )
    assert error(fake, "sendPhoto", chat_id=KK) == (
        400,
        "Bad Request: there is no photo in the request",
    )
    assert error(fake, "sendPhoto", chat_id=KK, photo="file:///etc/passwd") == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )
    assert len(fake.messages(KK)) == 1


# --- edits and deletions -----------------------------------------------------------


def test_edit_message_text(fake: FakeTelegram) -> None:
    sent = send(fake, "<b>Old</b> headline")
    preview = {"url": "https://aqparat.kz/kk/a/", "prefer_large_media": True}
    edit = {
        "chat_id": KK,
        "message_id": sent["message_id"],
        "text": "<b>New</b> headline",
        "parse_mode": "HTML",
        "link_preview_options": preview,
    }

    status, body = call(fake, "editMessageText", **edit)

    result = body["result"]
    assert status == 200
    assert (result["text"], result["link_preview_options"]) == ("New headline", preview)
    assert result["entities"] == [{"offset": 0, "length": 3, "type": "bold"}]
    assert result["edit_date"] >= result["date"]
    assert fake.messages(KK) == [result]
    assert error(fake, "editMessageText", **edit) == (400, NOT_MODIFIED)
    assert (
        call(fake, "editMessageText", **{**edit, "text": "<i>New</i> headline"})[0]
        == 200
    )
    assert error(fake, "editMessageText", **{**edit, "message_id": 99}) == (
        400,
        "Bad Request: message to edit not found",
    )


def test_edits_must_match_the_kind_of_post(fake: FakeTelegram) -> None:
    text_id = send(fake, "text")["message_id"]
    photo = call(fake, "sendPhoto", chat_id=KK, photo="https://aqparat.kz/p.jpg")
    photo_id = photo[1]["result"]["message_id"]

    assert error(
        fake, "editMessageText", chat_id=KK, message_id=photo_id, text="x"
    ) == (
        400,
        "Bad Request: there is no text in the message to edit",
    )
    assert error(
        fake, "editMessageCaption", chat_id=KK, message_id=text_id, caption="x"
    ) == (400, "Bad Request: there is no caption in the message to edit")
    edit = {"chat_id": KK, "message_id": photo_id, "caption": "<i>Жаңа</i>"}
    status, body = call(fake, "editMessageCaption", parse_mode="HTML", **edit)
    assert (status, body["result"]["caption"]) == (200, "Жаңа")
    assert body["result"]["caption_entities"] == [
        {"offset": 0, "length": 4, "type": "italic"}
    ]
    assert error(fake, "editMessageCaption", parse_mode="HTML", **edit) == (
        400,
        NOT_MODIFIED,
    )


def test_delete_message(fake: FakeTelegram) -> None:
    first, _ = send(fake, "one"), send(fake, "two")
    target = {"chat_id": KK, "message_id": first["message_id"]}

    assert call(fake, "deleteMessage", **target) == (200, {"ok": True, "result": True})

    assert texts(fake) == ["two"]
    assert error(fake, "deleteMessage", **target) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert error(fake, "editMessageText", text="x", **target) == (
        400,
        "Bad Request: message to edit not found",
    )


# --- scripted faults ---------------------------------------------------------------


def test_429_says_when_to_retry_and_stores_nothing(fake: FakeTelegram) -> None:
    fake.script("429:7")

    assert call(fake, "getMe")[0] == 200  # getMe never consumes a step
    assert call(fake, "sendMessage", chat_id=KK, text="x") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    assert fake.messages(KK) == []
    assert send(fake, "x")["message_id"] == 1


@pytest.mark.parametrize(
    ("step", "status", "description"),
    [
        ("500", 500, "Internal Server Error"),
        ("502", 502, "Bad Gateway"),
        ("503", 503, "Service Unavailable"),
        ("400-chat", 400, "Bad Request: chat not found"),
        ("403", 403, "Forbidden: bot is not a member of the channel chat"),
        ("401", 401, "Unauthorized"),
    ],
)
def test_error_steps(
    fake: FakeTelegram, step: str, status: int, description: str
) -> None:
    fake.script(step)

    assert error(fake, "sendMessage", chat_id=KK, text="x") == (status, description)
    assert fake.messages(KK) == []


def test_stall_posts_then_never_answers(fake: FakeTelegram) -> None:
    fake.script("stall")

    with pytest.raises(HANG_UP):
        call(fake, "sendMessage", chat_id=KK, text="went out", timeout=0.5)

    assert texts(fake) == ["went out"]
    started = time.monotonic()
    assert send(fake, "next")["message_id"] == 2  # the sleeper blocks no one
    assert time.monotonic() - started < 1


def test_drop_posts_then_hangs_up(fake: FakeTelegram) -> None:
    fake.script("drop")

    with pytest.raises(HANG_UP):
        call(fake, "sendMessage", chat_id=KK, text="went out")

    assert texts(fake) == ["went out"]


def test_stall_unprocessed_posts_nothing(fake: FakeTelegram) -> None:
    fake.script("stall-unprocessed")

    with pytest.raises(HANG_UP):
        call(fake, "sendMessage", chat_id=KK, text="lost", timeout=0.5)

    assert fake.messages(KK) == []


def test_script_and_reset_over_http(fake: FakeTelegram) -> None:
    assert control(fake, "/__fake__/script", "ok\n429:1\n\n500\n") == (200, "ok")

    statuses = [call(fake, "sendMessage", chat_id=KK, text="x")[0] for _ in range(4)]

    assert statuses == [200, 429, 500, 200]
    status, answer = control(fake, "/__fake__/script", "boom")
    assert status == 400
    assert "boom" in answer
    with pytest.raises(ValueError, match="boom"):
        fake.script("boom")
    fake.script("500")
    assert control(fake, "/__fake__/reset", "") == (200, "ok")
    assert (fake.messages(KK), fake.requests) == ([], [])
    assert send(fake, "x")["message_id"] == 1


def test_stop_returns_promptly_while_a_request_stalls() -> None:
    server = FakeTelegram(TOKEN, chats=["@solo"]).start()  # stalls for 30 s
    server.script("stall")
    with pytest.raises(HANG_UP):
        call(server, "sendMessage", chat_id="@solo", text="x", timeout=0.5)

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 1


# --- the token stays secret --------------------------------------------------------


def test_the_token_is_never_written(
    fake: FakeTelegram, capfd: pytest.CaptureFixture[str]
) -> None:
    fake.script("stall", "drop", "500")
    for _ in range(2):
        with pytest.raises(HANG_UP):
            call(fake, "sendMessage", chat_id=KK, text="x", timeout=0.5)
    call(fake, "sendMessage", chat_id=KK, text="x")
    call(fake, "sendMessage", chat_id=KK, text="<oops>", parse_mode="HTML")
    call(fake, "nope", chat_id="@nope")
    # http.server answers a malformed request line with an error quoting it
    with socket.create_connection(
        ("127.0.0.1", fake.server_address[1]), timeout=5
    ) as sock:
        sock.sendall(f"GET /bot{TOKEN}/getMe extra HTTP/1.1\r\n\r\n".encode())
        answer = b"".join(iter(lambda: sock.recv(4096), b""))
    try:
        raise RuntimeError(f"boom at /bot{TOKEN}/sendMessage")
    except RuntimeError:
        fake.handle_error(None, ("127.0.0.1", 0))

    out, err = capfd.readouterr()
    assert answer.startswith(b"HTTP/1.0 400")
    assert b"/bot<redacted>/getMe" in answer
    assert TOKEN.encode() not in answer
    assert TOKEN not in out + err
    assert "/bot<redacted>/sendMessage" in err


# --- pages for people --------------------------------------------------------------


def test_index_page_shows_posts_as_telegram_would_and_escapes_them(
    fake: FakeTelegram,
) -> None:
    script = html.escape("<script>alert(1)</script>", quote=False)
    send(fake, "older")
    send(fake, f'{script}\n<b>Bold</b> <a href="https://aqparat.kz/x">more</a>')
    call(
        fake, "sendPhoto", chat_id=RU, photo="https://aqparat.kz/p.jpg", caption="Фото"
    )

    status, content_type, page = get(fake, "/")

    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert '<html lang="en">' in page
    assert '<meta charset="utf-8">' in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br><b>Bold</b>" in page
    assert '<a href="https://aqparat.kz/x" rel="nofollow noopener">more</a>' in page
    assert '<img src="https://aqparat.kz/p.jpg"' in page
    assert page.index("Bold") < page.index("older")  # newest first
    assert 'href="/aqparat_kk/1"' in page


def test_post_page_like_a_t_me_link(fake: FakeTelegram) -> None:
    sent = send(fake, "<i>Жаңалық</i>")
    edit = {"chat_id": KK, "message_id": sent["message_id"], "parse_mode": "HTML"}
    call(fake, "editMessageText", text="<i>Жаңалық</i>!", **edit)

    status, _, page = get(fake, f"/aqparat_kk/{sent['message_id']}")

    assert status == 200
    assert "<i>Жаңалық</i>!" in page
    assert "edited" in page
    assert get(fake, "/aqparat_kk/99")[0] == 404
    assert get(fake, "/nope/1")[0] == 404
