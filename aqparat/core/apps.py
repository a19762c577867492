from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aqparat.core"
    label = "core"
