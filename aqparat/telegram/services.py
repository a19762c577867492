"""Telegram distribution: the outbox and its delivery.

Every state change of a post is a conditional UPDATE (`WHERE state = <expected>`), so
whichever worker, sweeper or editor acts first wins and the others do nothing. The
rule that makes "exactly once" hold: a row whose request may have reached Telegram is
never sent again automatically. It becomes `uncertain` and waits for an editor.

    pending ──claim──▶ sending ──reply ok──▶ sent ──(correction)──▶ edit pending/done
       ▲                 │  ├─ not sent / 5xx / 429 ─▶ pending (later) ─▶ … failed
       │                 │  ├─ 400 / 401 / 403 ─────▶ failed (alert)
       │                 │  └─ timeout / crash after the request ─▶ uncertain
       └── editor: retry (failed), resend anyway (uncertain); cancel; unpublish
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from aqparat.core.alerts import ALREADY_MAILED
from aqparat.telegram.client import TelegramClient, get_telegram_client
from aqparat.telegram.exceptions import (
    TelegramApiError,
    TelegramError,
    TelegramNotSent,
    TelegramUncertain,
)
from aqparat.telegram.formatting import CAPTION_LIMIT, TEXT_LIMIT, post_html
from aqparat.telegram.models import (
    CancelReason,
    ChannelPace,
    EditState,
    PostState,
    PostStyle,
    TelegramChannel,
    TelegramPost,
)

if TYPE_CHECKING:
    from aqparat.news.models import ArticlePage

logger = logging.getLogger("aqparat.telegram")

INLINE_WAIT = 2.0  # a pacing wait up to this long is slept; longer ones are scheduled
BACKOFF_BASE = 5.0
BACKOFF_CAP = 600.0
RATE_LIMIT_ATTEMPTS = 50  # 429s do not use up the ordinary attempts, but are capped
FIRST_PUBLICATION_WINDOW = timedelta(hours=1)
PHOTO_RENDITION = "max-1280x1280|format-jpeg"

Enqueue = Callable[[int, float], None]


# --- the outbox, written in the publication's transaction --------------------------


def outbox_article_saved(
    *, page: ArticlePage, created: bool, update_fields: Any
) -> None:
    """Called from ArticlePage's post_save, inside the save's transaction.

    A save of a live page with every field is what Wagtail's publication does; the
    page says whether it was the first (NewsPage.is_first_publication).
    """
    if created or update_fields is not None or not page.live or page.alias_of_id:
        return
    if page.is_first_publication(within=FIRST_PUBLICATION_WINDOW):
        _outbox_create(page)
    else:  # published again: a post cancelled meanwhile goes out after all
        _outbox_rearm(page)
    if getattr(page, "telegram_update_post", False):
        _outbox_request_edit(page)


def _outbox_create(page: ArticlePage) -> None:
    if not page.telegram_post:  # the editor kept this story off the channel
        return
    language = page.locale.language_code
    site = page.get_site()
    channel = TelegramChannel.objects.filter(
        language=language, enabled=True, site_settings__site=site
    ).first()
    if channel is None:
        return
    TelegramPost.objects.bulk_create(
        [
            TelegramPost(
                page_id=page.pk,
                language=language,
                channel=channel,
                chat=channel.chat.strip(),
                post_style=channel.post_style,
                next_attempt_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,  # a concurrent first publication already queued it
    )
    post_id = TelegramPost.objects.filter(
        page_id=page.pk, language=language, state=PostState.PENDING
    ).values_list("pk", flat=True)
    for pk in post_id:
        _enqueue_after_commit(pk)


def _outbox_rearm(page: ArticlePage) -> None:
    """A post cancelled because its article was unpublished goes out when the
    article is published again, if it never went out."""
    rearmed = list(
        TelegramPost.objects.filter(
            page_id=page.pk,
            state=PostState.CANCELLED,
            cancel_reason=CancelReason.UNPUBLISHED,
            message_id__isnull=True,
        ).values_list("pk", flat=True)
    )
    if rearmed:
        TelegramPost.objects.filter(pk__in=rearmed).update(
            state=PostState.PENDING, cancel_reason="", next_attempt_at=timezone.now()
        )
        for pk in rearmed:
            _enqueue_after_commit(pk)


def _outbox_request_edit(page: ArticlePage) -> None:
    """The editor ticked "update the Telegram post": edit what went out, then untick
    the box in the published revision so the next edit starts unticked."""
    from wagtail.models import Revision

    from aqparat.news.models import ArticlePage

    edited = list(
        TelegramPost.objects.filter(
            page_id=page.pk, state=PostState.SENT, message_id__isnull=False
        ).values_list("pk", flat=True)
    )
    TelegramPost.objects.filter(pk__in=edited).update(
        edit_state=EditState.PENDING, edit_attempts=0
    )
    for pk in edited:
        transaction.on_commit(partial(_enqueue_edit, pk))
    page.telegram_update_post = False
    ArticlePage.objects.filter(pk=page.pk).update(telegram_update_post=False)
    revision_ids = {page.live_revision_id, page.latest_revision_id} - {None}
    for revision in Revision.objects.filter(pk__in=revision_ids):
        if revision.content.get("telegram_update_post"):
            revision.content["telegram_update_post"] = False
            revision.save(update_fields=["content"])


def outbox_article_unpublished(*, page: ArticlePage) -> int:
    """Posts not yet claimed by a worker are cancelled; returns how many."""
    return TelegramPost.objects.filter(page_id=page.pk, state=PostState.PENDING).update(
        state=PostState.CANCELLED, cancel_reason=CancelReason.UNPUBLISHED
    )


def outbox_article_copied(*, original: ArticlePage, copy: ArticlePage) -> None:
    """A copy in the same edition is the same story: it must not post again."""
    if copy.locale_id != original.locale_id:
        return  # a translation is news in its own edition's channel
    for post in TelegramPost.objects.filter(page_id=original.pk):
        TelegramPost.objects.bulk_create(
            [
                TelegramPost(
                    page_id=copy.pk,
                    language=post.language,
                    channel=post.channel,
                    chat=post.chat,
                    post_style=post.post_style,
                    state=PostState.CANCELLED,
                    cancel_reason=CancelReason.COPY,
                )
            ],
            ignore_conflicts=True,
        )


def _enqueue_after_commit(pk: int) -> None:
    transaction.on_commit(lambda: _enqueue_delivery(pk, 0))


def _enqueue_delivery(pk: int, delay: float) -> None:
    from aqparat.telegram.tasks import deliver_post

    if delay > 0:
        deliver_post.schedule(args=(pk,), delay=delay)
    else:
        deliver_post(pk)


def _enqueue_edit(pk: int, delay: float = 0) -> None:
    from aqparat.telegram.tasks import edit_post

    if delay > 0:
        edit_post.schedule(args=(pk,), delay=delay)
    else:
        edit_post(pk)


# --- pacing -------------------------------------------------------------------------


def pace_reserve(*, chat: str, now: datetime, within: float = INLINE_WAIT) -> float:
    """Seconds from `now` to this chat's next free send slot.

    When the slot is at most `within` seconds away it is reserved (the caller waits
    and sends); otherwise nothing is reserved and the caller comes back later.
    """
    ChannelPace.objects.get_or_create(chat=chat)
    with transaction.atomic():
        pace = ChannelPace.objects.select_for_update().get(chat=chat)
        now_ts = now.timestamp()
        recent = [t for t in pace.recent if t > now_ts - 60]
        slot = now_ts
        if recent:
            slot = max(slot, recent[-1] + settings.AQPARAT_TELEGRAM_MIN_INTERVAL)
        per_minute = settings.AQPARAT_TELEGRAM_PER_MINUTE
        if len(recent) >= per_minute:
            slot = max(slot, recent[-per_minute] + 60)
        if pace.blocked_until is not None:
            slot = max(slot, pace.blocked_until.timestamp())
        wait = slot - now_ts
        if wait <= within:
            pace.recent = [*recent, slot][-per_minute:]
            pace.save(update_fields=["recent"])
        return wait


def pace_block(*, chat: str, until: datetime) -> None:
    """Telegram said 429 for this chat: nothing goes to it before `until`."""
    ChannelPace.objects.get_or_create(chat=chat)
    ChannelPace.objects.filter(chat=chat).filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lt=until)
    ).update(blocked_until=until)


# --- delivery -----------------------------------------------------------------------


def post_claim(*, post_id: int, now: datetime) -> TelegramPost | None:
    """Take the row for this worker, or None when it is not due or someone has it."""
    claimed = TelegramPost.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=post_id,
        state=PostState.PENDING,
    ).update(
        state=PostState.SENDING, claimed_at=now, request_sent_at=None, updated_at=now,
        claim=uuid.uuid4().hex,
    )  # fmt: skip
    return TelegramPost.objects.get(pk=post_id) if claimed else None


def post_deliver(
    *,
    post_id: int,
    client: TelegramClient | None = None,
    sleep: Callable[[float], None] = time.sleep,
    enqueue: Enqueue = _enqueue_delivery,
) -> str:
    """Send one post if it is due; returns the state it was left in (or "skipped")."""
    post = post_claim(post_id=post_id, now=timezone.now())
    if post is None:
        return "skipped"
    page = _live_article(post.page_id)
    if page is None:
        _move(post, PostState.SENDING, state=PostState.CANCELLED,
              cancel_reason=CancelReason.UNPUBLISHED)  # fmt: skip
        return PostState.CANCELLED
    wait = pace_reserve(chat=post.chat, now=timezone.now())
    if wait > INLINE_WAIT:
        _move(post, PostState.SENDING, state=PostState.PENDING,
              next_attempt_at=timezone.now() + timedelta(seconds=wait))  # fmt: skip
        enqueue(post.pk, wait)
        return PostState.PENDING
    if wait > 0:
        sleep(wait)
    method, params = _send_request(post, page)
    now = timezone.now()
    if not _move(post, PostState.SENDING, request_sent_at=now,
                 attempts=F("attempts") + 1):  # fmt: skip
        return "skipped"  # the sweeper or an editor took it back meanwhile
    client = client or get_telegram_client()
    try:
        result = getattr(client, method)(**params)
    except TelegramNotSent as error:
        return _retry_later(post, str(error), enqueue)
    except TelegramUncertain as error:
        _move(post, PostState.SENDING, state=PostState.UNCERTAIN, last_error=str(error))
        logger.warning("Telegram post %s is uncertain: %s", post.pk, error)
        return PostState.UNCERTAIN
    except TelegramApiError as error:
        return _api_error(post, error, enqueue)
    style = PostStyle.PHOTO if method == "send_photo" else PostStyle.LINK
    _record_sent(post, result, style=style)
    return PostState.SENT


def _live_article(page_id: int) -> ArticlePage | None:
    from aqparat.news.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .filter(pk=page_id)
        .select_related("locale", "lead_image")
        .first()
    )


@dataclass(frozen=True)
class PostContent:
    """What a post says, built from the live article at the moment of sending."""

    style: str  # PostStyle: a photo with a caption, or a text with a link preview
    html: str
    url: str
    photo_url: str = ""


def post_content(*, page: ArticlePage, style: str) -> PostContent:
    """The editor's Telegram text if any, else the lead; and the newest correction
    note, so an updated post tells channel readers what changed."""
    url = page.get_full_url() or ""
    notes = [note for note in page.corrections.all() if note.noted_at]
    newest = max(notes, key=lambda note: note.noted_at, default=None)
    with translation.override(page.locale.language_code):
        label = gettext("Read on the site")
        note = f"{newest.label}: {newest.text}" if newest else ""
    text = {"headline": page.title, "lead": page.telegram_text.strip() or page.lead,
            "url": url, "link_label": label, "note": note}  # fmt: skip
    photo_url = ""
    if style == PostStyle.PHOTO and page.lead_image is not None:
        photo_url = urljoin(url, page.lead_image.get_rendition(PHOTO_RENDITION).url)
    if style == PostStyle.PHOTO:
        html = post_html(**text, limit=CAPTION_LIMIT)
        return PostContent(PostStyle.PHOTO, html, url, photo_url)
    return PostContent(PostStyle.LINK, post_html(**text, limit=TEXT_LIMIT), url)


def _send_request(post: TelegramPost, page: ArticlePage) -> tuple[str, dict[str, Any]]:
    style = post.post_style if page.lead_image_id else PostStyle.LINK
    content = post_content(page=page, style=style)
    params: dict[str, Any] = {"chat_id": post.chat, "parse_mode": "HTML"}
    if content.photo_url:
        return "send_photo", {**params, "photo": content.photo_url,
                              "caption": content.html}  # fmt: skip
    preview = {"url": content.url, "prefer_large_media": True, "show_above_text": False}
    return "send_message", {**params, "text": content.html,
                            "link_preview_options": preview}  # fmt: skip


def _edit_request(post: TelegramPost, page: ArticlePage) -> tuple[str, dict[str, Any]]:
    """The edit keeps the kind of message that went out (a photo stays a photo)."""
    content = post_content(page=page, style=post.post_style)
    params: dict[str, Any] = {
        "chat_id": post.message_chat_id or post.chat,
        "message_id": post.message_id,
        "parse_mode": "HTML",
    }
    if post.post_style == PostStyle.PHOTO:
        return "edit_message_caption", {**params, "caption": content.html}
    preview = {"url": content.url, "prefer_large_media": True, "show_above_text": False}
    return "edit_message_text", {**params, "text": content.html,
                                 "link_preview_options": preview}  # fmt: skip


def _record_sent(post: TelegramPost, result: dict[str, Any], *, style: str) -> None:
    chat = result.get("chat") or {}
    sent = {
        "state": PostState.SENT,
        "message_id": result.get("message_id"),
        "message_chat_id": chat.get("id"),
        "chat_username": chat.get("username") or "",
        "post_style": style,
        "sent_at": timezone.now(),
        "last_error": "",
    }
    # A reply so slow that the sweeper already called the row uncertain still
    # settles it: now we know the post went out.
    _move(post, PostState.SENDING, **sent) or _move(post, PostState.UNCERTAIN, **sent)
    logger.info(
        "Telegram post %s sent as message %s", post.pk, result.get("message_id")
    )


def _retry_later(post: TelegramPost, error: str, enqueue: Enqueue) -> str:
    attempts = TelegramPost.objects.get(pk=post.pk).attempts
    if attempts >= settings.AQPARAT_TELEGRAM_MAX_ATTEMPTS:
        _move(post, PostState.SENDING, state=PostState.FAILED, last_error=error)
        _alert(post, f"gave up after {attempts} attempts: {error}")
        return PostState.FAILED
    delay = backoff(attempts)
    _move(post, PostState.SENDING, state=PostState.PENDING, last_error=error,
          next_attempt_at=timezone.now() + timedelta(seconds=delay))  # fmt: skip
    enqueue(post.pk, delay)
    return PostState.PENDING


def _api_error(post: TelegramPost, error: TelegramApiError, enqueue: Enqueue) -> str:
    if error.is_rate_limit:
        wait = error.retry_after if error.retry_after is not None else 30.0
        until = timezone.now() + timedelta(seconds=wait)
        pace_block(chat=post.chat, until=until)
        limited = TelegramPost.objects.get(pk=post.pk).rate_limits + 1
        if limited >= RATE_LIMIT_ATTEMPTS:
            _move(post, PostState.SENDING, state=PostState.FAILED,
                  last_error=str(error), rate_limits=limited)  # fmt: skip
            _alert(post, f"still rate-limited after {limited} attempts")
            return PostState.FAILED
        # A 429 is Telegram pacing us, not a failure: it does not use up an attempt.
        _move(post, PostState.SENDING, state=PostState.PENDING, next_attempt_at=until,
              last_error=str(error), rate_limits=limited,
              attempts=F("attempts") - 1)  # fmt: skip
        enqueue(post.pk, wait)
        return PostState.PENDING
    if error.is_server_error:
        return _retry_later(post, str(error), enqueue)
    _move(post, PostState.SENDING, state=PostState.FAILED, last_error=str(error))
    _alert(post, str(error))
    return PostState.FAILED


def backoff(attempts: int) -> float:
    """Capped exponential backoff with jitter: ~5 s, 10 s, 20 s … at most 10 min."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


def _move(post: TelegramPost, expected: str, **changes: Any) -> bool:
    """Change the row only if it is still in `expected` state under this worker's
    claim."""
    changes.setdefault("updated_at", timezone.now())
    rows = TelegramPost.objects.filter(pk=post.pk, state=expected, claim=post.claim)
    return bool(rows.update(**changes))


def _alert(post: TelegramPost, problem: str) -> None:
    """A failure an editor must see: logged as an error and mailed to ADMINS."""
    subject = f"Telegram post for article {post.page_id} in {post.chat} failed"
    logger.error("%s: %s", subject, problem, extra=ALREADY_MAILED)
    mail_admins(
        subject, f"{problem}\n\nSee Reports → Telegram posts.", fail_silently=True
    )


# --- corrections ----------------------------------------------------------------------


def post_edit(
    *,
    post_id: int,
    client: TelegramClient | None = None,
    enqueue: Enqueue = _enqueue_edit,
) -> str:
    """Bring a sent post in line with the live article. Edits are idempotent (Telegram
    answers "message is not modified" to a repeat), so unlike a first send a lost
    reply is simply retried."""
    now = timezone.now()
    claimed = TelegramPost.objects.filter(
        pk=post_id, state=PostState.SENT, edit_state=EditState.PENDING
    ).update(
        edit_state=EditState.SENDING, edit_claimed_at=now,
        edit_attempts=F("edit_attempts") + 1, updated_at=now,
    )  # fmt: skip
    if not claimed:
        return "skipped"
    post = TelegramPost.objects.get(pk=post_id)
    page = _live_article(post.page_id)
    if page is None:
        _edit_move(post, edit_state=EditState.NONE)
        return EditState.NONE
    call, params = _edit_request(post, page)
    client = client or get_telegram_client()
    try:
        getattr(client, call)(**params)
    except TelegramApiError as error:
        if error.is_not_modified:
            pass
        elif error.is_rate_limit or error.is_server_error:
            return _edit_retry(post, str(error), enqueue, error.retry_after)
        else:
            _edit_move(post, edit_state=EditState.FAILED, last_error=str(error))
            _alert(post, f"could not update the post: {error}")
            return EditState.FAILED
    except TelegramError as error:
        return _edit_retry(post, str(error), enqueue, None)
    _edit_move(post, edit_state=EditState.DONE, edited_at=timezone.now(), last_error="")
    return EditState.DONE


def _edit_retry(
    post: TelegramPost, error: str, enqueue: Enqueue, retry_after: float | None
) -> str:
    attempts = TelegramPost.objects.get(pk=post.pk).edit_attempts
    if attempts >= settings.AQPARAT_TELEGRAM_MAX_ATTEMPTS:
        _edit_move(post, edit_state=EditState.FAILED, last_error=error)
        _alert(post, f"could not update the post: {error}")
        return EditState.FAILED
    _edit_move(post, edit_state=EditState.PENDING, last_error=error)
    enqueue(post.pk, retry_after if retry_after is not None else backoff(attempts))
    return EditState.PENDING


def _edit_move(post: TelegramPost, **changes: Any) -> None:
    TelegramPost.objects.filter(pk=post.pk, edit_state=EditState.SENDING).update(
        updated_at=timezone.now(), **changes
    )


# --- the sweeper and editors' actions ---------------------------------------------


def stale_after() -> timedelta:
    """How long a claim may last: the pacing wait plus the client's timeout, twice."""
    return timedelta(seconds=2 * (INLINE_WAIT + settings.AQPARAT_TELEGRAM_TIMEOUT) + 30)


def outbox_sweep(*, now: datetime) -> dict[str, list[int]]:
    """Recover from lost workers and lost queue messages (every minute).

    A claim that never sent its request goes back to pending. A claim whose request
    went out and that never recorded the reply (a worker killed between the reply
    and the commit, say) becomes uncertain: Telegram may have posted it.
    """
    cutoff = now - stale_after()
    stuck = TelegramPost.objects.filter(state=PostState.SENDING, claimed_at__lt=cutoff)
    unsent = list(
        stuck.filter(request_sent_at__isnull=True).values_list("pk", flat=True)
    )
    TelegramPost.objects.filter(pk__in=unsent, state=PostState.SENDING).update(
        state=PostState.PENDING, next_attempt_at=now, updated_at=now
    )
    lost = list(
        stuck.filter(request_sent_at__isnull=False).values_list("pk", flat=True)
    )
    TelegramPost.objects.filter(pk__in=lost, state=PostState.SENDING).update(
        state=PostState.UNCERTAIN, updated_at=now,
        last_error="The worker stopped after sending; the reply was never recorded.",
    )  # fmt: skip
    TelegramPost.objects.filter(
        edit_state=EditState.SENDING, edit_claimed_at__lt=cutoff
    ).update(edit_state=EditState.PENDING, updated_at=now)
    due = list(
        TelegramPost.objects.filter(state=PostState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:200]
    )
    edits = list(
        TelegramPost.objects.filter(
            state=PostState.SENT, edit_state=EditState.PENDING
        ).values_list("pk", flat=True)[:200]
    )
    if lost:
        logger.warning(
            "Telegram posts %s may have gone out: an editor must check", lost
        )
    return {"due": due, "edits": edits}


EDITOR_ACTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    # action: (states it applies to, what it sets)
    "retry": ((PostState.FAILED,), {"state": PostState.PENDING, "attempts": 0}),
    "resend": ((PostState.UNCERTAIN,), {"state": PostState.PENDING}),
    "cancel": (
        (PostState.PENDING, PostState.FAILED, PostState.UNCERTAIN),
        {"state": PostState.CANCELLED, "cancel_reason": CancelReason.EDITOR},
    ),
    "mark_posted": ((PostState.UNCERTAIN,), {"state": PostState.SENT}),
}


def post_editor_action(*, post_id: int, action: str) -> bool:
    """An editor's retry / resend anyway / cancel / mark as posted; False when the
    post is no longer in a state the action applies to."""
    states, changes = EDITOR_ACTIONS[action]
    now = timezone.now()
    extra: dict[str, Any] = {"updated_at": now}
    if changes["state"] == PostState.PENDING:
        extra["next_attempt_at"] = now
    changed = bool(
        TelegramPost.objects.filter(pk=post_id, state__in=states).update(
            **changes, **extra
        )
    )
    if changed and changes["state"] == PostState.PENDING:
        _enqueue_after_commit(post_id)
    if changed:
        logger.info("Telegram post %s: editor chose %s", post_id, action)
    return changed
