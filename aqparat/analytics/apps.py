from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "aqparat.analytics"
    label = "analytics"

    def ready(self) -> None:
        from aqparat.analytics.selectors import VIEWS_SHOWN, views_shown
        from aqparat.analytics.templatetags.analytics_tags import most_read_page_keys
        from aqparat.core.routing import page_keys, page_value

        page_keys(most_read_page_keys)
        page_value(VIEWS_SHOWN, views_shown)
