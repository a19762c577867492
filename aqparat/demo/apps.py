from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "aqparat.demo"
    label = "demo"
