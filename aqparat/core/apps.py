from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aqparat.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import (
            post_delete,
            post_migrate,
            post_save,
            pre_save,
        )
        from wagtail.models import PageViewRestriction, Site

        from aqparat.core import address, restrictions, sites
        from aqparat.core.cache import (
            request_generations_begin,
            request_generations_end,
        )
        from aqparat.core.dbstats import statistics_after_migrate
        from aqparat.core.models import SiteSettings
        from aqparat.core.text import control_characters_removed

        checks.register(address.check_site_address, checks.Tags.urls, deploy=True)
        pre_save.connect(control_characters_removed, dispatch_uid="core-text-clean")

        # post_migrate comes once every migration has run: one app's is enough.
        post_migrate.connect(
            statistics_after_migrate, sender=self, dispatch_uid="core-dbstats"
        )
        request_started.connect(
            request_generations_begin, dispatch_uid="core-generations-begin"
        )
        request_finished.connect(
            request_generations_end, dispatch_uid="core-generations-end"
        )

        post_save.connect(
            _settings_saved, sender=SiteSettings, dispatch_uid="core-settings"
        )
        for signal in (post_save, post_delete):
            signal.connect(sites.sites_changed, sender=Site, dispatch_uid="core-site")
            signal.connect(
                restrictions.restrictions_changed,
                sender=PageViewRestriction,
                dispatch_uid="core-restrictions",
            )


def _settings_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.core.cache import generation_next
    from aqparat.core.pagecache import ALL, retire
    from aqparat.core.selectors import SITE_SETTINGS_GENERATION_KEY

    generation_next(SITE_SETTINGS_GENERATION_KEY)
    retire(ALL)  # the outlet's name, the ticker's currencies, the channel links
