from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "aqparat.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"
