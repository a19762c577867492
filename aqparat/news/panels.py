"""Admin panels of news pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    """On a translation's edit screen: 'source changed since translation', with a link
    to the source and a way to mark the translation up to date."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/translation_status_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance.pk) and bool(
                self._record is not None or self._missing
            )

        @cached_property
        def _missing(self) -> list[tuple[str, str]]:
            """The editions without this story: (language, its name), to translate
            into. None for the Latin edition's alias, which is derived."""
            from wagtail.models import Locale

            from aqparat.news.selectors import edition_languages

            if self.instance.alias_of_id is not None:
                return []
            have = set(
                self.instance.get_translations(inclusive=True).values_list(
                    "locale__language_code", flat=True
                )
            )
            wanted = [code for code in edition_languages() if code not in have]
            locales = Locale.objects.filter(language_code__in=wanted)
            names = {
                locale.language_code: locale.get_display_name() for locale in locales
            }
            return [(code, names[code]) for code in wanted if code in names]

        @cached_property
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
            context["translate"] = [
                (name, reverse("news_translate", args=[self.instance.pk, code]))
                for code, name in self._missing
            ]
            record = self._record
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
