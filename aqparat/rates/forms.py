from django import forms
from django.utils.translation import gettext_lazy as _


class ConverterForm(forms.Form):
    """The tenge converter; a GET form, so it works without JavaScript and caches."""

    amount = forms.DecimalField(
        label=_("Amount"),
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

    def __init__(self, *args: object, currencies: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["currency"].choices = [(code, code) for code in currencies]  # type: ignore[attr-defined]
