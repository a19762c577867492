"""Exactly once under faults: races, rate limits, 5xx storms, stalls and crashes."""

from __future__ import annotations

import logging
import socket
import threading
import unicodedata
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import CustomImageFactory, publish
from aqparat.telegram import services
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.formatting import utf16_len
from aqparat.telegram.models import ChannelPace, PostState, PostStyle, TelegramPost
from aqparat.telegram.services import (
    outbox_sweep,
    pace_reserve,
    post_deliver,
    post_editor_action,
    stale_after,
)
from aqparat.telegram.tasks import sweep_telegram_outbox
from aqparat.telegram.tests.conftest import TOKEN, Newsroom

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


def never(post_id: int, delay: float) -> None:
    """An enqueue that drops the message, so tests drive retries themselves."""


def queued(newsroom: Newsroom, language: str = "en", **fields: Any) -> TelegramPost:
    """A published article and its pending post, not yet attempted."""
    channel = newsroom.channels[language]
    channel.enabled = False
    channel.save()
    article = publish(newsroom.draft(language, **fields))
    channel.enabled = True
    channel.save()
    return TelegramPost.objects.create(
        page=article, language=language, channel=channel, chat=channel.chat,
        post_style=channel.post_style, next_attempt_at=timezone.now(),
    )  # fmt: skip


def deliver(post: TelegramPost) -> str:
    result = post_deliver(post_id=post.pk, enqueue=never, sleep=lambda _: None)
    post.refresh_from_db()
    return result


def deliver_until_killed_in(
    step: str, post: TelegramPost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deliver, with the worker killed when it reaches `step` of services."""

    def killed(*args: Any, **kwargs: Any) -> None:
        raise WorkerKilled

    monkeypatch.setattr(services, step, killed)
    with pytest.raises(WorkerKilled):
        deliver(post)
    monkeypatch.undo()


def later(time_machine: Any, post: TelegramPost) -> None:
    """Move the clock just past the post's next attempt."""
    assert post.next_attempt_at is not None
    time_machine.move_to(post.next_attempt_at + timedelta(seconds=1))


def test_two_consumers_racing_on_one_row_send_it_once(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    post = queued(newsroom)
    start = threading.Barrier(4)
    results: list[str] = []

    def consumer() -> None:
        try:
            start.wait()
            results.append(post_deliver(post_id=post.pk, enqueue=never))
        finally:
            connection.close()

    threads = [threading.Thread(target=consumer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert len(telegram.messages("@aqparat_en")) == 1


def test_a_claimed_row_cannot_be_claimed_again(newsroom: Newsroom) -> None:
    post = queued(newsroom)
    now = timezone.now()
    assert services.post_claim(post_id=post.pk, now=now) is not None
    assert services.post_claim(post_id=post.pk, now=now) is None


def test_a_429_waits_retry_after_for_that_channel_only(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any
) -> None:
    english, russian = queued(newsroom, "en"), queued(newsroom, "ru", title="Новость")
    telegram.script("429:5")

    assert deliver(english) == PostState.PENDING
    assert "retry after 5" in english.last_error
    assert english.next_attempt_at is not None
    assert 4 <= (english.next_attempt_at - timezone.now()).total_seconds() <= 5
    assert deliver(english) == "skipped"  # not due yet
    assert deliver(russian) == PostState.SENT  # another channel is not held up

    later(time_machine, english)
    assert deliver(english) == PostState.SENT
    assert (english.attempts, english.rate_limits) == (1, 1)  # a 429 is no failure
    assert len(telegram.messages("@aqparat_en")) == 1


def test_a_429_blocks_the_channels_pace_for_other_posts_too(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    first, second = queued(newsroom), queued(newsroom, title="Second story")
    telegram.script("429:30")
    deliver(first)
    assert deliver(second) == PostState.PENDING  # waits for the same window
    assert telegram.messages("@aqparat_en") == []
    assert len(telegram.requests) == 1


def test_a_5xx_storm_retries_with_backoff_then_sends_once(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any
) -> None:
    post = queued(newsroom)
    telegram.script("500", "502", "503")
    # The delay is set at some moment during deliver(), which takes real time: it lies
    # between next_attempt_at - after and next_attempt_at - before.
    shortest, longest = [], []
    for _ in range(3):
        before = timezone.now()
        assert deliver(post) == PostState.PENDING
        after = timezone.now()
        assert post.next_attempt_at is not None
        shortest.append((post.next_attempt_at - after).total_seconds())
        longest.append((post.next_attempt_at - before).total_seconds())
        later(time_machine, post)
    assert deliver(post) == PostState.SENT

    assert post.attempts == 4
    assert len(telegram.messages("@aqparat_en")) == 1
    # exponential with jitter: each ceiling doubles (5, 10, 20 s), jitter halves at most
    for ceiling, low, high in zip((5, 10, 20), shortest, longest, strict=True):
        assert low <= ceiling and high >= ceiling / 2, (ceiling, low, high)


def test_endless_5xx_gives_up_and_alerts(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    post = queued(newsroom)
    telegram.script(*["500"] * 10)
    with override_settings(AQPARAT_TELEGRAM_MAX_ATTEMPTS=3):
        for _ in range(2):
            assert deliver(post) == PostState.PENDING
            later(time_machine, post)
        assert deliver(post) == PostState.FAILED

    assert post.attempts == 3
    assert telegram.messages("@aqparat_en") == []
    assert "gave up after 3 attempts" in caplog.text
    assert [m.to for m in mail.outbox] == [["desk@example.com"]]


def test_a_connection_refused_is_retried_and_then_sent(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any
) -> None:
    post = queued(newsroom)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with override_settings(AQPARAT_TELEGRAM_API_URL=closed):
        assert deliver(post) == PostState.PENDING
    assert "could not connect" in post.last_error
    later(time_machine, post)
    assert deliver(post) == PostState.SENT
    assert len(telegram.messages("@aqparat_en")) == 1


@pytest.mark.parametrize("fault", ["stall", "drop"])
def test_no_reply_after_sending_is_uncertain_and_never_resent(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any, fault: str
) -> None:
    post = queued(newsroom)
    telegram.script(fault)

    assert deliver(post) == PostState.UNCERTAIN
    assert len(telegram.messages("@aqparat_en")) == 1  # it went out …

    time_machine.move_to(timezone.now() + timedelta(hours=2))
    sweep_telegram_outbox()
    assert deliver(post) == "skipped"
    assert post.state == PostState.UNCERTAIN
    assert len(telegram.messages("@aqparat_en")) == 1  # … and only once


def test_a_worker_killed_between_reply_and_commit_leaves_it_uncertain(
    newsroom: Newsroom, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch,
    time_machine: Any,
) -> None:  # fmt: skip
    post = queued(newsroom)
    deliver_until_killed_in("_record_sent", post, monkeypatch)
    post.refresh_from_db()
    assert post.state == PostState.SENDING and post.request_sent_at is not None

    outbox_sweep(now=timezone.now())  # too early: the worker may still be busy
    post.refresh_from_db()
    assert post.state == PostState.SENDING

    time_machine.move_to(timezone.now() + stale_after() + timedelta(seconds=1))
    sweep_telegram_outbox()
    post.refresh_from_db()
    assert post.state == PostState.UNCERTAIN
    assert deliver(post) == "skipped"
    assert len(telegram.messages("@aqparat_en")) == 1


def test_a_reply_after_the_sweeper_gave_up_still_records_the_post(
    newsroom: Newsroom, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = queued(newsroom)
    record = services._record_sent

    def slow_reply(*args: Any, **kwargs: Any) -> None:
        outbox_sweep(now=timezone.now() + stale_after() * 2)  # meanwhile …
        assert TelegramPost.objects.get(pk=post.pk).state == PostState.UNCERTAIN
        record(*args, **kwargs)

    monkeypatch.setattr(services, "_record_sent", slow_reply)
    assert deliver(post) == PostState.SENT
    assert post.state == PostState.SENT and post.message_id == 1


def test_a_worker_whose_claim_was_taken_back_does_not_send(
    newsroom: Newsroom, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = queued(newsroom)
    real = services._send_request
    later_on = timezone.now() + stale_after() * 2
    taken: list[TelegramPost | None] = []

    def stalls(*args: Any) -> Any:
        outbox_sweep(now=later_on)  # the sweeper gives the stale claim back …
        taken.append(services.post_claim(post_id=post.pk, now=later_on))  # … B has it
        return real(*args)

    monkeypatch.setattr(services, "_send_request", stalls)
    assert deliver(post) == "skipped"  # A may no longer send
    assert taken[0] is not None and taken[0].claim != ""
    assert telegram.requests == []


def test_rate_limits_do_not_use_up_the_attempts(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any
) -> None:
    post = queued(newsroom)
    telegram.script(*["429:1"] * 9, "500")
    with override_settings(AQPARAT_TELEGRAM_MAX_ATTEMPTS=3):
        for _ in range(10):
            assert deliver(post) == PostState.PENDING
            later(time_machine, post)
        assert deliver(post) == PostState.SENT
    assert (post.attempts, post.rate_limits) == (2, 9)


def test_a_worker_killed_before_the_request_is_sent_later(
    newsroom: Newsroom, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch,
    time_machine: Any,
) -> None:  # fmt: skip
    post = queued(newsroom)
    deliver_until_killed_in("_send_request", post, monkeypatch)

    time_machine.move_to(timezone.now() + stale_after() + timedelta(seconds=1))
    sweep_telegram_outbox()  # back to pending, and delivered by the sweeper
    post.refresh_from_db()
    assert post.state == PostState.SENT
    assert len(telegram.messages("@aqparat_en")) == 1


def test_a_lost_queue_message_is_found_by_the_sweeper(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    post = queued(newsroom)  # created without enqueueing, as after a Redis flush
    sweep_telegram_outbox()
    post.refresh_from_db()
    assert post.state == PostState.SENT
    assert len(telegram.messages("@aqparat_en")) == 1


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("chat", "chat not found"),
        ("forbidden", "Forbidden"),
        ("token", "Unauthorized"),
    ],
)
def test_permanent_errors_fail_at_once_and_alert(
    newsroom: Newsroom, telegram: FakeTelegram, setup: str, expected: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    post = queued(newsroom)
    if setup == "chat":
        TelegramPost.objects.filter(pk=post.pk).update(chat="@no_such_channel")
    elif setup == "forbidden":
        telegram.forbidden_chats.add("@aqparat_en")
    token = TOKEN if setup != "token" else TOKEN[:-3] + "bad"
    with override_settings(AQPARAT_TELEGRAM_BOT_TOKEN=token):
        assert deliver(post) == PostState.FAILED

    assert post.attempts == 1
    assert expected in post.last_error
    assert len(mail.outbox) == 1
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    assert deliver(post) == "skipped"  # no retry loop


def test_the_token_never_reaches_a_log_an_error_or_a_mail(
    newsroom: Newsroom, telegram: FakeTelegram, time_machine: Any,
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    posts = [queued(newsroom, title=f"Story {n}") for n in range(4)]
    telegram.script("stall", "500", "429:1")
    for post in posts[:3]:
        deliver(post)
    with override_settings(AQPARAT_TELEGRAM_BOT_TOKEN=TOKEN[:-3] + "bad"):
        deliver(posts[3])

    secret = TOKEN.split(":")[1]
    errors = " ".join(TelegramPost.objects.values_list("last_error", flat=True))
    mails = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    captured = capfd.readouterr()
    for text in (caplog.text, errors, mails, captured.out, captured.err):
        assert secret not in text and secret[:-3] not in text
    assert "Unauthorized" in errors and "no answer" in errors


HOSTILE = [
    "<script>alert(1)</script> & friends",
    "Tom & Jerry <b>unclosed",
    "1 < 2 > 0 &amp; &lt;",
    "</i></b> closing first",
    "Семья 👨‍👩‍👧‍👦 и флаг 🇰🇿 — e\u0301",
    "Қазақстан 2050: «Жаңа» кезең",
]


@pytest.mark.parametrize("headline", HOSTILE)
def test_hostile_headlines_are_accepted_by_telegrams_parser(
    newsroom: Newsroom, telegram: FakeTelegram, headline: str
) -> None:
    post = queued(newsroom, title=headline)
    assert deliver(post) == PostState.SENT, post.last_error
    [message] = telegram.messages("@aqparat_en")
    assert message["text"].split("\n\n")[0] == unicodedata.normalize("NFC", headline)
    assert any(e["type"] == "bold" for e in message["entities"])


def test_a_5000_character_lead_is_cut_safely_in_both_styles(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    lead = "Екі қала туризм мен білім саласында бірге жұмыс істейді 👩‍💻. " * 90
    assert len(lead) > 5000
    text_post = queued(newsroom, lead=lead)
    photo_post = queued(newsroom, title="With a photo", lead=lead)
    ArticlePage.objects.filter(pk=photo_post.page_id).update(
        lead_image=CustomImageFactory()
    )
    TelegramPost.objects.filter(pk=photo_post.pk).update(post_style=PostStyle.PHOTO)

    assert deliver(text_post) == PostState.SENT, text_post.last_error
    assert deliver(photo_post) == PostState.SENT, photo_post.last_error
    text_message, photo_message = telegram.messages("@aqparat_en")
    assert 4000 < utf16_len(text_message["text"]) <= 4096
    assert 900 < utf16_len(photo_message["caption"]) <= 1024
    assert "…" in text_message["text"] and "…" in photo_message["caption"]
    assert photo_message["photo"]
    assert photo_post.post_style == PostStyle.PHOTO


def test_pacing_keeps_a_second_between_posts_and_twenty_a_minute() -> None:
    start = timezone.now()

    def at(seconds: float) -> datetime:
        return start + timedelta(seconds=seconds)

    with override_settings(
        AQPARAT_TELEGRAM_MIN_INTERVAL=1, AQPARAT_TELEGRAM_PER_MINUTE=20
    ):
        assert pace_reserve(chat="@c", now=at(0)) == 0
        assert pace_reserve(chat="@c", now=at(0.2)) == pytest.approx(0.8)
        assert pace_reserve(chat="@other", now=at(0.2)) == 0  # per channel
        for n in range(2, 20):
            assert pace_reserve(chat="@c", now=at(n)) == pytest.approx(0)
        # Twenty slots within the minute: the 21st waits for the first to age out,
        # and is not reserved while it is further away than a short sleep.
        assert pace_reserve(chat="@c", now=at(20)) == pytest.approx(40)
        assert pace_reserve(chat="@c", now=at(59)) == pytest.approx(1)
    assert len(ChannelPace.objects.get(chat="@c").recent) == 20


def test_editor_actions_follow_the_state_machine(
    newsroom: Newsroom, telegram: FakeTelegram
) -> None:
    post = queued(newsroom)
    telegram.script("stall")
    deliver(post)
    assert post.state == PostState.UNCERTAIN
    assert not post_editor_action(post_id=post.pk, action="retry")  # not failed

    assert post_editor_action(post_id=post.pk, action="resend")  # the editor decides
    post.refresh_from_db()
    assert post.state == PostState.SENT
    assert len(telegram.messages("@aqparat_en")) == 2  # as the editor asked

    assert not post_editor_action(post_id=post.pk, action="cancel")  # already sent
    failed = queued(newsroom, title="Failing")
    TelegramPost.objects.filter(pk=failed.pk).update(state=PostState.FAILED)
    assert post_editor_action(post_id=failed.pk, action="cancel")
    failed.refresh_from_db()
    assert (failed.state, failed.cancel_reason) == ("cancelled", "editor")
