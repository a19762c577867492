from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aqparat.news.models import SectionPage

MAX_DAYS = 400


class AudienceFilterForm(forms.Form):
    """The period, edition and section of the editors' audience report."""

    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    language = forms.ChoiceField(label=_("Edition"), required=False)
    section = forms.ModelChoiceField(
        label=pgettext_lazy("news section", "Section"), required=False,
        queryset=SectionPage.objects.filter(alias_of__isnull=True).order_by("path"),
    )  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        editions = [
            (code, name)
            for code, name in settings.LANGUAGES
            if code != settings.LATIN_EDITION_LANGUAGE
        ]
        language = self.fields["language"]
        if isinstance(language, forms.ChoiceField):
            language.choices = [("", _("All editions")), *editions]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        today = timezone.localdate(timezone=ZoneInfo("Asia/Almaty"))
        end: date = data.get("end") or today
        start: date = data.get("start") or end - timedelta(days=6)
        if start > end:
            raise forms.ValidationError(_("The period starts after it ends."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)s days.") % {"days": MAX_DAYS}
            )
        data["start"], data["end"] = start, end
        return data
