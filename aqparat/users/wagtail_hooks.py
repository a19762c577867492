"""Two-step sign-in in the admin: its screens, and a link on every user's account
page (Account → More actions)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, pgettext
from wagtail import hooks

from aqparat.users import views
from aqparat.users.twofactor import two_factor_enrolled


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


@hooks.register("register_account_menu_item")
def two_factor_account_item(request: HttpRequest) -> dict[str, str]:
    if two_factor_enrolled(request.user):
        help_text = gettext("On for your account.")
    else:
        help_text = gettext(
            "Off for your account: turn it on to be asked, after your password, "
            "for a code from an app on your phone."
        )
    return {
        "url": reverse("users_two_factor_setup"),
        "label": pgettext("two-step sign-in", "Two-step sign-in"),
        "help_text": help_text,
    }
