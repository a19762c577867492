"""What the newsroom records beside the pages themselves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftOrigin(models.Model):
    """The create form a page was made from, by its key (news.forms.DRAFT_KEY_FIELD).

    A create form's autosave and its "Submit" can reach two workers at once; the
    second finds the page the first made here and continues it, instead of making a
    second story (newsroom.views.NewsPageCreateView)."""

    key = models.UUIDField(primary_key=True)
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft origin")
        verbose_name_plural = _("draft origins")

    def __str__(self) -> str:
        return f"{self.key} -> page {self.page_id}"
