import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

# A spelling is put into Latin pages, feeds and API bodies as it is, inside text
# and attribute values: it must be plain text. Markup characters and control
# characters are refused; the Cyrillic side must hold a Cyrillic letter, so that
# it can never match a tag, an attribute or an entity (all ASCII).
_NOT_PLAIN = re.compile('[<>&"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def spelling_is_plain(cyrillic: str, latin: str) -> bool:
    """Whether a spelling can be applied to rendered pages as it is."""
    return (
        bool(_CYRILLIC.search(cyrillic))
        and not _NOT_PLAIN.search(cyrillic)
        and not _NOT_PLAIN.search(latin)
    )


def _plain_text(value: str) -> None:
    if _NOT_PLAIN.search(value):
        raise ValidationError(
            _('Only plain text: no <, >, &, " or control characters.'),
            code="not_plain",
        )


def _has_cyrillic(value: str) -> None:
    if not _CYRILLIC.search(value):
        raise ValidationError(
            _("Write the Cyrillic text as it appears in the Kazakh text."),
            code="no_cyrillic",
        )


class LatinSpelling(models.Model):
    """An editor's Latin spelling for a Cyrillic word, phrase, sentence or headline.

    The 2021 table is mechanical; loanwords and names sometimes need a human choice.
    Every Latin page applies these before the table, longest phrase first.
    """

    cyrillic = models.CharField(
        _("Cyrillic text"),
        max_length=500,
        unique=True,
        help_text=_("Exactly as it appears in the Kazakh text, including capitals."),
        validators=[_plain_text, _has_cyrillic],
    )
    latin = models.CharField(
        _("Latin spelling"), max_length=500, validators=[_plain_text]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("cyrillic"), FieldPanel("latin"), FieldPanel("note")]

    class Meta:
        ordering = ["cyrillic"]
        verbose_name = _("Latin spelling")
        verbose_name_plural = _("Latin spellings")

    def __str__(self) -> str:
        return f"{self.cyrillic} → {self.latin}"
