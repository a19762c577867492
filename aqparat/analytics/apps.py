from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "aqparat.analytics"
    label = "analytics"
