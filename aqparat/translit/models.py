from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


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
    )
    latin = models.CharField(_("Latin spelling"), max_length=500)
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("cyrillic"), FieldPanel("latin"), FieldPanel("note")]

    class Meta:
        ordering = ["cyrillic"]
        verbose_name = _("Latin spelling")
        verbose_name_plural = _("Latin spellings")

    def __str__(self) -> str:
        return f"{self.cyrillic} → {self.latin}"
