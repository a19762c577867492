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


class PageViewsBucket(models.Model):
    """Counted views of one article in one time bucket, with its edition's language
    so rankings need no join to the page tree."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=15)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class HourlyPageViews(PageViewsBucket):
    """One clock hour (UTC): most read over 24 hours, trending. Kept eight days."""

    hour = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "hour"], name="views_page_hour")
        ]
        indexes = [models.Index(fields=["language", "hour"], name="views_lang_hour")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.hour:%Y-%m-%d %H}: {self.views}"


class DailyPageViews(PageViewsBucket):
    """One Almaty calendar day: most read over seven days, editors' analytics. Kept
    for good."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="views_page_day")
        ]
        indexes = [models.Index(fields=["language", "day"], name="views_lang_day")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.views}"


class ViewFold(models.Model):
    """A buffered batch that has been folded in, recorded in the same transaction
    as its counts: folding the same batch again changes nothing."""

    batch_id = models.CharField(max_length=80, unique=True)
    views = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)
    folded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("view_audience", _("See the audience reports"))]

    def __str__(self) -> str:
        return self.batch_id


class BeaconLogPosition(models.Model):
    """How far the fold has read one beacon log file that the front cache writes
    (analytics/beacon_log.py): the file is known by its device and inode, so a
    rotated log is finished under its new name and a new one is read from its start.
    """

    log = models.CharField(max_length=500)
    file_id = models.CharField(max_length=80)
    offset = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "file_id"], name="beacon_log_file")
        ]

    def __str__(self) -> str:
        return f"{self.log} ({self.file_id}): {self.offset}"
