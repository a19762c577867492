from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "aqparat.search"
    label = "aqparat_search"
    verbose_name = "Search"
