from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The newsroom's user, custom from the first migration so it can grow safely."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
