"""Admin panels of news pages, and what the translation screens say about a
language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import Panel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class LanguageWording:
    """What the translation screens say about one edition's language, each a whole
    phrase translated as one. Inside a sentence a language is named in the admin's
    language and in the case the sentence needs ("ағылшын тіліне аудару", "перевести
    на английский"): a language's own name put into "Translate into %(name)s" gave
    "English тіліне аудару" and "Перевести: English"."""

    name: StrOrPromise  # in the report's "Missing in" list
    translate_into: StrOrPromise
    make_draft: StrOrPromise  # with %(title)s and %(section)s
    source_changed: StrOrPromise
    translated_from: StrOrPromise


LANGUAGE_WORDING = {
    "kk": LanguageWording(
        name=pgettext_lazy("missing translation", "Kazakh"),
        translate_into=pgettext_lazy("translation action", "Translate into Kazakh"),
        make_draft=pgettext_lazy(
            "translation action",
            "Make a Kazakh draft of “%(title)s” in %(section)s, with its photo and "
            "tags, to translate.",
        ),
        source_changed=pgettext_lazy(
            "translation status",
            "The Kazakh original has been published with different text since "
            "this translation was made.",
        ),
        translated_from=pgettext_lazy(
            "translation status",
            "Translated from the Kazakh original, which has not changed since.",
        ),
    ),
    "ru": LanguageWording(
        name=pgettext_lazy("missing translation", "Russian"),
        translate_into=pgettext_lazy("translation action", "Translate into Russian"),
        make_draft=pgettext_lazy(
            "translation action",
            "Make a Russian draft of “%(title)s” in %(section)s, with its photo and "
            "tags, to translate.",
        ),
        source_changed=pgettext_lazy(
            "translation status",
            "The Russian original has been published with different text since "
            "this translation was made.",
        ),
        translated_from=pgettext_lazy(
            "translation status",
            "Translated from the Russian original, which has not changed since.",
        ),
    ),
    "en": LanguageWording(
        name=pgettext_lazy("missing translation", "English"),
        translate_into=pgettext_lazy("translation action", "Translate into English"),
        make_draft=pgettext_lazy(
            "translation action",
            "Make an English draft of “%(title)s” in %(section)s, with its photo "
            "and tags, to translate.",
        ),
        source_changed=pgettext_lazy(
            "translation status",
            "The English original has been published with different text since "
            "this translation was made.",
        ),
        translated_from=pgettext_lazy(
            "translation status",
            "Translated from the English original, which has not changed since.",
        ),
    ),
}
# A source in a language the table does not name (none today): the same sentences
# without the language.
SOURCE_CHANGED = pgettext_lazy(
    "translation status",
    "The original has been published with different text since this translation "
    "was made.",
)
TRANSLATED_FROM = pgettext_lazy(
    "translation status", "Translated from the original, which has not changed since."
)


def source_note(*, language_code: str, stale: bool) -> str:
    """The panel's sentence about a translation's source (its language named)."""
    wording = LANGUAGE_WORDING.get(language_code)
    if stale:
        return str(wording.source_changed if wording else SOURCE_CHANGED)
    return str(wording.translated_from if wording else TRANSLATED_FROM)


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
        def _missing(self) -> list[str]:
            """The editions without this story that its section is in, to translate
            into (a story goes into its section's page there). None for the Latin
            edition's alias, which is derived."""
            from aqparat.news.selectors import edition_languages

            if self.instance.alias_of_id is not None:
                return []
            have = set(
                self.instance.get_translations(inclusive=True).values_list(
                    "locale__language_code", flat=True
                )
            )
            section_in = set(
                self.instance.get_parent()
                .get_translations()
                .values_list("locale__language_code", flat=True)
            )
            return [
                code
                for code in edition_languages()
                if code not in have and code in section_in
            ]

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
                (
                    LANGUAGE_WORDING[code].translate_into,
                    reverse("news_translate", args=[self.instance.pk, code]),
                )
                for code in self._missing
            ]
            record = self._record
            context["record"] = record
            context["stale"] = record is not None and translation_is_stale(
                record=record
            )
            if record is not None:
                context["source_note"] = source_note(
                    language_code=record.source.locale.language_code,
                    stale=context["stale"],
                )
                context["source_edit_url"] = reverse(
                    "wagtailadmin_pages:edit", args=[record.source_id]
                )
                context["mark_current_url"] = reverse(
                    "news_translation_mark_current", args=[self.instance.pk]
                )
            return context
