from django.contrib.auth.models import AbstractUser
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    """The newsroom's user, custom from the first migration so it can grow safely."""

    class Meta:
        verbose_name = pgettext_lazy("account", "user")
        verbose_name_plural = pgettext_lazy("account", "users")
