from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "aqparat.analytics"
    label = "analytics"

    def ready(self) -> None:
        from aqparat.analytics.selectors import most_read_key
        from aqparat.core.routing import edition_keys

        # The home and article pages show the edition's most read stories.
        edition_keys(lambda language: [most_read_key(language)])
