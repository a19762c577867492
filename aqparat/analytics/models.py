from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class PageViewCount(models.Model):
    """The stored total of reader views of one page, as shown on the page."""

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, primary_key=True, related_name="view_count"
    )
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page view count")
        verbose_name_plural = _("page view counts")

    def __str__(self) -> str:
        return f"{self.page_id}: {self.views}"
