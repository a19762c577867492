from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateIndex(models.TextChoices):
    UP = "UP", _("up")
    DOWN = "DOWN", _("down")
    SAME = "", _("unchanged")


class ExchangeRate(models.Model):
    """One official National Bank rate: tenge for `quant` units of `currency`."""

    currency = models.CharField(_("currency"), max_length=3)
    on_date = models.DateField(_("applies on"))
    value = models.DecimalField(_("tenge per quant"), max_digits=14, decimal_places=4)
    quant = models.PositiveIntegerField(_("quant"), default=1)
    change = models.DecimalField(
        _("change"), max_digits=14, decimal_places=4, default=0
    )
    index = models.CharField(
        _("direction"), max_length=4, choices=RateIndex.choices, blank=True, default=""
    )
    fetched_at = models.DateTimeField(_("stored at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-on_date", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "on_date"], name="rate_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(quant__gte=1), name="rate_quant_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.value}/{self.quant} on {self.on_date}"

    @property
    def per_unit(self) -> Decimal:
        return self.value / self.quant
