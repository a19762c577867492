from django.apps import AppConfig


class RatesConfig(AppConfig):
    name = "aqparat.rates"
    label = "rates"

    def ready(self) -> None:
        from aqparat.core.routing import page_keys
        from aqparat.rates.selectors import ticker_page_keys

        page_keys(ticker_page_keys)
