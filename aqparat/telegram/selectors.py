"""Reads of the Telegram outbox for editors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from aqparat.telegram.models import EditState, PostState, TelegramPost

NEEDS_AN_EDITOR = (PostState.FAILED, PostState.UNCERTAIN)


def post_list(*, state: str = "") -> QuerySet[TelegramPost]:
    posts = TelegramPost.objects.select_related("page", "channel").order_by(
        "-created_at", "-pk"
    )
    if state == "attention":
        return posts.filter(
            Q(state__in=NEEDS_AN_EDITOR) | Q(edit_state=EditState.FAILED)
        )
    if state in PostState.values:
        return posts.filter(state=state)
    return posts


@dataclass(frozen=True)
class OutboxProblems:
    failed: int
    uncertain: int
    edits_failed: int

    @property
    def total(self) -> int:
        return self.failed + self.uncertain + self.edits_failed


def outbox_problems() -> OutboxProblems:
    """What an editor must look at: one query."""
    counts = TelegramPost.objects.aggregate(
        failed=Count("pk", filter=Q(state=PostState.FAILED)),
        uncertain=Count("pk", filter=Q(state=PostState.UNCERTAIN)),
        edits_failed=Count("pk", filter=Q(edit_state=EditState.FAILED)),
    )
    return OutboxProblems(**counts)
