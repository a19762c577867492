from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aqparat.api"
    label = "api"
    verbose_name = "JSON API"
