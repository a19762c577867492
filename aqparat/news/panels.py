"""Admin panels of news pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    """On a translation's edit screen: 'source changed since translation', with a link
    to the source and a way to mark the translation up to date."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/translation_status_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance.pk) and self._record() is not None

        def _record(self) -> Any:
            from aqparat.news.models import TranslationSource

            return (
                TranslationSource.objects.filter(translation_id=self.instance.pk)
                .select_related("source", "source_revision", "source__locale")
                .first()
            )

        def get_context_data(self, parent_context: Any = None) -> Any:
            from aqparat.news.selectors import translation_is_stale

            context = super().get_context_data(parent_context)
            record = self._record()
            context["record"] = record
            context["stale"] = record is not None and translation_is_stale(
                record=record
            )
            if record is not None:
                context["source_edit_url"] = reverse(
                    "wagtailadmin_pages:edit", args=[record.source_id]
                )
                context["mark_current_url"] = reverse(
                    "news_translation_mark_current", args=[self.instance.pk]
                )
            return context
