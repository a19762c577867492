"""Telegram distribution: channels per language and the outbox of posts.

The outbox row is the whole truth about a post. Its state machine (see
docs/subsystems/telegram.md) only moves forward through conditional updates, so two
workers can never both send one row, and a row that may already have reached Telegram
is never sent again without an editor saying so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class PostStyle(models.TextChoices):
    PHOTO = "photo", _("Photo with caption")
    LINK = "link", _("Text with a large link preview")


class TelegramChannel(Orderable):
    """The channel an edition's new articles go out to."""

    site_settings = ParentalKey(
        "core.SiteSettings", on_delete=models.CASCADE, related_name="telegram_channels"
    )
    language = models.CharField(_("edition"), max_length=15, choices=settings.LANGUAGES)
    chat = models.CharField(
        _("channel"),
        max_length=100,
        help_text=_("@username of a public channel, or its numeric id (-100…)."),
    )
    enabled = models.BooleanField(_("post new articles"), default=True)
    post_style = models.CharField(
        _("post style"),
        max_length=10,
        choices=PostStyle.choices,
        default=PostStyle.LINK,
    )

    panels = [
        FieldPanel("language"),
        FieldPanel("chat"),
        FieldPanel("enabled"),
        FieldPanel("post_style"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Telegram channel")
        verbose_name_plural = _("Telegram channels")
        constraints = [
            models.UniqueConstraint(
                fields=["site_settings", "language"],
                name="telegram_channel_per_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chat} ({self.language})"


class PostState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Posted")
    UNCERTAIN = "uncertain", _("Uncertain: check the channel")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("telegram post", "Cancelled")


class CancelReason(models.TextChoices):
    NONE = "", _("—")
    UNPUBLISHED = "unpublished", _("Unpublished before delivery")
    EDITOR = "editor", _("Cancelled by an editor")
    COPY = "copy", _("A copy of an article already posted")


class EditState(models.TextChoices):
    NONE = "", _("—")
    PENDING = "pending", _("Update waiting")
    SENDING = "sending", _("Updating")
    DONE = "done", pgettext_lazy("telegram post", "Updated")
    FAILED = "failed", _("Update failed")


ACTION_LABELS = {
    "retry": _("Retry"),
    "resend": _("Resend anyway"),
    "mark_posted": _("It is in the channel"),
    "cancel": pgettext_lazy("telegram post", "Cancel"),
}


class TelegramPost(models.Model):
    """One article in one channel: at most one row per article and edition."""

    page = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="telegram_posts",
    )
    language = models.CharField(_("edition"), max_length=15)
    channel = models.ForeignKey(
        TelegramChannel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    chat = models.CharField(_("chat"), max_length=100)
    post_style = models.CharField(_("post style"), max_length=10)
    state = models.CharField(
        _("state"), max_length=10, choices=PostState.choices, default=PostState.PENDING
    )
    cancel_reason = models.CharField(
        _("cancelled because"),
        max_length=12,
        choices=CancelReason.choices,
        blank=True,
        default="",
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the row: every change after a claim is conditional on it, so a
    # worker whose claim the sweeper took back can no longer touch the row.
    claim = models.CharField(max_length=32, blank=True, default="")
    rate_limits = models.PositiveIntegerField(_("rate limited"), default=0)
    request_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    message_id = models.BigIntegerField(_("message id"), null=True, blank=True)
    message_chat_id = models.BigIntegerField(null=True, blank=True)
    chat_username = models.CharField(max_length=100, blank=True, default="")
    sent_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    edit_state = models.CharField(
        _("update"), max_length=10, choices=EditState.choices, blank=True, default=""
    )
    edit_attempts = models.PositiveIntegerField(default=0)
    edit_claimed_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Telegram post")
        verbose_name_plural = _("Telegram posts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="telegram_post_once_per_edition"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="telegram_due"),
        ]
        permissions = [("manage_telegrampost", _("Retry, resend or cancel posts"))]

    def __str__(self) -> str:
        return f"{self.page_id} → {self.chat} ({self.state})"

    @property
    def editor_actions(self) -> list[tuple[str, str]]:
        """What an editor may do with the post now: (action, button label)."""
        offered = {
            PostState.PENDING: ("cancel",),
            PostState.FAILED: ("retry", "cancel"),
            PostState.UNCERTAIN: ("resend", "mark_posted", "cancel"),
        }.get(PostState(self.state), ())
        return [(action, str(ACTION_LABELS[action])) for action in offered]

    @property
    def post_url(self) -> str:
        """The public link to the post (t.me, or the fake channel page in the demo)."""
        if self.message_id is None:
            return ""
        base = settings.AQPARAT_TELEGRAM_WEB_URL.rstrip("/")
        if self.chat_username:
            return f"{base}/{self.chat_username}/{self.message_id}"
        if self.message_chat_id is not None:
            internal = str(abs(self.message_chat_id)).removeprefix("100")
            return f"{base}/c/{internal}/{self.message_id}"
        return ""


class ChannelPace(models.Model):
    """Send slots per chat, so every worker paces one channel together.

    Telegram allows about one message a second and twenty a minute per chat; a 429
    blocks the chat for `retry_after` seconds. `recent` holds the last twenty slot
    times (epoch seconds) so the minute limit is a true sliding window.
    """

    chat = models.CharField(max_length=100, unique=True)
    recent = models.JSONField(default=list)
    blocked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.chat
