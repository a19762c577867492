from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "aqparat.seo"
    label = "seo"
    verbose_name = "Structured data and previews"
