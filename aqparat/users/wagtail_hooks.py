"""Two-step sign-in in the admin: its screens, and a menu item for every user."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, reverse
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from aqparat.users import views


@hooks.register("register_admin_urls")
def two_factor_urls() -> list[URLPattern]:
    return [
        path("two-factor/setup/", views.two_factor_setup,
             name="users_two_factor_setup"),
        path("two-factor/verify/", views.two_factor_verify,
             name="users_two_factor_verify"),
        path("two-factor/disable/", views.two_factor_disable,
             name="users_two_factor_disable"),
    ]  # fmt: skip


@hooks.register("register_admin_menu_item")
def two_factor_menu_item() -> Any:
    return MenuItem(
        pgettext_lazy("two-step sign-in", "Two-step sign-in"),
        reverse("users_two_factor_setup"),
        icon_name="lock",
        order=10000,
    )
