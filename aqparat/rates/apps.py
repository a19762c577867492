from django.apps import AppConfig


class RatesConfig(AppConfig):
    name = "aqparat.rates"
    label = "rates"
