from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "aqparat.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"

    def ready(self) -> None:
        from aqparat.core.routing import page_keys
        from aqparat.syndication.templatetags.feed_tags import feed_links_page_keys

        page_keys(feed_links_page_keys)
