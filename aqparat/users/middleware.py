"""The second sign-in step, enforced for the whole admin."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from aqparat.users.twofactor import two_factor_enrolled, two_factor_required

# What a signed-in user reaches before the second step: signing out, the step,
# and setting it up (which refuses a user who has it already: users/views.py), and
# what their pages load: the admin's translations and its icons (the sprite's page
# fetches and inserts whatever it gets, so a redirect would insert a whole page).
_OPEN = (
    "/admin/logout/", "/admin/jsi18n/", "/admin/sprite/",
    "/admin/two-factor/verify/", "/admin/two-factor/setup/",
)  # fmt: skip


class TwoFactorMiddleware:
    """Staff signed in with a password only are sent to the second step (when they
    have an authenticator) or to set one up (when they must have one) before any
    other admin page; after OTPMiddleware, which says whether they are verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            not path.startswith("/admin/")
            or path.startswith(_OPEN)
            or user is None
            or not user.is_authenticated
            or user.is_verified()
        ):
            return self.get_response(request)
        if two_factor_enrolled(user):
            target = "users_two_factor_verify"
        elif two_factor_required(user):
            target = "users_two_factor_setup"
        else:
            return self.get_response(request)
        return HttpResponseRedirect(
            f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        )
