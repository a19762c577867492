"""The rates page: every currency, 90-day charts of the ticker's, and a converter."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from aqparat.core.middleware import note_last_modified
from aqparat.core.selectors import site_settings_for_request
from aqparat.rates.forms import ConverterForm
from aqparat.rates.selectors import rates_convert, rates_history, rates_table


def rates_page(request: HttpRequest) -> HttpResponse:
    table = rates_table()
    codes = site_settings_for_request(request=request).ticker_codes
    currencies = [line.currency for line in table.rates] if table else []
    form = ConverterForm(
        request.GET or None,
        currencies=currencies,
        first=codes[0] if codes else None,
    )
    conversion = None
    if table is not None and form.is_valid():
        conversion = rates_convert(
            amount=form.cleaned_data["amount"],
            currency=form.cleaned_data["currency"],
            to_tenge=form.cleaned_data["direction"] == "to_kzt",
            table=table,
        )
    if table is not None:
        note_last_modified(request, table.stored_at)
    return TemplateResponse(
        request,
        "rates/rates_page.html",
        {
            "table": table,
            "charts": rates_history(currencies=codes),
            "form": form,
            "conversion": conversion,
        },
    )
