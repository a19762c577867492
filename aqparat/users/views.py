"""Two-step sign-in screens in the admin: set up, confirm, the step itself, and
turning it off. Domain logic in users/twofactor.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from aqparat.users.forms import CodeForm
from aqparat.users.twofactor import (
    code_wait_seconds,
    recovery_codes_make,
    second_step_verify,
    second_step_wait_seconds,
    totp_confirm,
    totp_device_pending,
    totp_key_text,
    totp_qr_svg,
    two_factor_enrolled,
    two_factor_remove,
    two_factor_required,
)


def _title() -> dict[str, str]:
    """The heading of every screen, as Wagtail's generic admin template takes it."""
    return {
        "page_title": pgettext("two-step sign-in", "Two-step sign-in"),
        "header_icon": "lock",
    }


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)s second, then type the code the app "
        "shows.",
        "Too many wrong codes. Wait %(seconds)s seconds, then type the code the app "
        "shows.",
        seconds,
    ) % {"seconds": seconds}


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, type a code from the app: confirmed, and ten recovery
    codes shown once."""
    if two_factor_enrolled(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        # A new authenticator would replace the one this session has not proven.
        return HttpResponseRedirect(reverse("users_two_factor_verify"))
    device = totp_device_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := code_wait_seconds([device]):
            form.add_error("code", _wait_message(wait))
        elif totp_confirm(device, form.cleaned_data["code"]):
            otp_login(request, device)  # this session has just passed the step
            codes = recovery_codes_make(request.user)
            return render(request, "users/admin/two_factor_codes.html", {
                **_title(), "codes": codes, "next": _next(request),
                "page_title": pgettext("two-step sign-in", "Recovery codes"),
            })  # fmt: skip
        else:
            form.add_error("code", _("That code is not the one the app shows now."))
    return render(
        request,
        "users/admin/two_factor_setup.html",
        {
            **_title(),
            "form": form, "qr_svg": totp_qr_svg(device), "next": _next(request),
            "secret": totp_key_text(device),
            "required": two_factor_required(request.user),
            "enrolled": two_factor_enrolled(request.user),
        },
    )  # fmt: skip


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app, or one of the recovery codes."""
    if not two_factor_enrolled(request.user):
        return HttpResponseRedirect(reverse("users_two_factor_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := second_step_wait_seconds(request.user):
            form.add_error("code", _wait_message(wait))
        elif second_step_verify(request, form.cleaned_data["code"]):
            return HttpResponseRedirect(_next(request))
        else:
            form.add_error("code", _("That code is not valid. Try the current one."))
    return render(request, "users/admin/two_factor_verify.html",
                  {"form": form, "next": _next(request)})  # fmt: skip


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Remove the user's authenticator and codes, unless their role requires one."""
    if two_factor_required(request.user):
        messages.error(request, _("Your role requires two-step sign-in."))
    else:
        two_factor_remove(request.user)
        messages.success(request, _("Two-step sign-in is off for your account."))
    return HttpResponseRedirect(reverse("wagtailadmin_home"))
