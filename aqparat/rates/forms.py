import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The last comma or point followed by one or two digits (and nothing else) is the
# decimal mark; every other comma, point or space groups thousands.
_DECIMAL_MARK = re.compile(r"[.,](\d{1,2})$")
_GROUPING = re.compile(r"[\s.,\u00a0\u202f']")


class AmountField(forms.DecimalField):
    """An amount as a reader types it, in any of our languages: "100,5" and "100.5"
    are a hundred and a half, "1 000,50", "1,000.50" and "1.000,50" a thousand and a
    half. A mark followed by three digits groups ("1,000" is a thousand)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            mark = _DECIMAL_MARK.search(text)
            whole = text[: mark.start()] if mark else text
            text = _GROUPING.sub("", whole) + (f".{mark.group(1)}" if mark else "")
            value = text
        return super().to_python(value)


class ConverterForm(forms.Form):
    """The tenge converter; a GET form, so it works without JavaScript and caches.
    It opens on the ticker's first currency (the site's, usually USD), not the first
    of the alphabet."""

    # A text box with a decimal keypad, not <input type=number>: browsers refuse or
    # misread a decimal comma there, whatever the page's language.
    amount = AmountField(
        label=_("Amount"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        min_value=0,
        max_value=10**12,
        decimal_places=2,
        max_digits=16,
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=(("to_kzt", _("to tenge")), ("from_kzt", _("from tenge"))),
    )

    def __init__(
        self, *args: Any, currencies: list[str], first: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currencies]  # type: ignore[attr-defined]
        if first in currencies:
            self.fields["currency"].initial = first
