from datetime import datetime
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageViewRestriction

from aqparat.core.middleware import note_shown_until
from aqparat.core.restrictions import view_restrictions_exist


@register_setting(icon="cog")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Per-site newsroom settings that editors may change without a deploy."""

    outlet_name = models.CharField(
        _("outlet name"),
        max_length=80,
        default="Aqparat",
        help_text=_('Used in source attributions: "Aqparat reports, citing MFA".'),
    )
    telegram_channel_url = models.URLField(
        _("Telegram channel link"),
        blank=True,
        help_text=_("The public link readers follow, e.g. https://t.me/aqparat_en"),
    )
    telegram_channel_name = models.CharField(
        _("Telegram channel name"), max_length=80, blank=True
    )
    ticker_currencies = models.CharField(
        _("rates ticker currencies"),
        max_length=200,
        default="USD,EUR,RUB",
        help_text=_("ISO codes shown in the header, in order, separated by commas."),
    )

    panels = [
        FieldPanel("outlet_name"),
        FieldPanel("ticker_currencies"),
        MultiFieldPanel(
            [FieldPanel("telegram_channel_url"), FieldPanel("telegram_channel_name")],
            heading=_("Telegram: the channel readers are invited to follow"),
        ),
        InlinePanel(
            "telegram_channels",
            heading=_("Telegram: where new articles are posted, per edition"),
            label=_("channel"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return self.outlet_name

    @property
    def ticker_codes(self) -> tuple[str, ...]:
        codes = (code.strip().upper() for code in self.ticker_currencies.split(","))
        return tuple(code for code in codes if len(code) == 3 and code.isalpha())


class BasePage(Page):
    """Every public page: notes its freshness so the response carries Last-Modified."""

    class Meta:
        abstract = True

    def get_last_modified(self) -> datetime | None:
        """When what this page shows last changed; listings override this."""
        return self.last_published_at

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """A page past its expiry is gone at once, whether or not the worker has
        unpublished it yet (it may be stopped); before that, no cache keeps it
        past its expiry (core/middleware.py, core/pagecache.py)."""
        if self.expire_at is not None:
            if self.expire_at <= timezone.now():
                raise Http404
            note_shown_until(request, self.expire_at)
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self) -> Any:
        """Wagtail checks these on every page it serves, two queries each time; on
        a site without any restriction the shared cache says so instead."""
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def update_aliases(self, *args: Any, **kwargs: Any) -> Any:
        """Wagtail runs this after *scheduling* a first publication too, and it makes
        every alias live (wagtail/wagtail#11344): the Latin edition would show a
        Kazakh story before its go-live or embargo time. Aliases follow only a
        source that is live; the publication at go-live time updates them."""
        if not self.live:
            return None
        return super().update_aliases(*args, **kwargs)


class JobRun(models.Model):
    """One run of a periodic job (core/jobs.py): when it started, when it ended
    and whether it succeeded. A run with no end whose lock lapsed was interrupted."""

    job = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["job", "-started_at"], name="core_jobrun_latest")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M:%S}"


class Heartbeat(models.Model):
    """One row the readiness probe (`/readyz`, core/health.py) writes: the database
    takes writes (not a read-only replica, not out of space, not locked)."""

    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.beat_at:%Y-%m-%d %H:%M:%S}"
