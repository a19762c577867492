"""Accounts that resist takeover: sign-in throttled per account and per address
(the same answer for an unknown user as for a wrong password), a password policy
of 12 characters and more, and sessions that end when idle, on password change
and on deactivation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.forms.auth import PasswordChangeForm

from aqparat.users.tests.factories import signed_in, staff_build

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase"  # noqa: S105 (the factories' test password)


def sign_in(username: str, password: str, address: str = "203.0.113.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.response = client.post(  # type: ignore[attr-defined]
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return client


def answer(client: Client) -> tuple[int, str]:
    """Status and body of a sign-in answer, without what differs on every request."""
    response = client.response  # type: ignore[attr-defined]
    body = re.sub(r'value="[^"]*"|"CSRF_TOKEN": "[^"]*"', "", response.content.decode())
    return response.status_code, body.replace("nobody", "").replace("editor", "")


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer() -> None:
    staff_build("editor")
    unknown = answer(sign_in("nobody", "a-wrong-passphrase"))
    wrong = answer(sign_in("editor", "a-wrong-passphrase"))
    assert unknown[0] == wrong[0] == 200
    assert unknown == wrong


def test_an_unknown_user_costs_the_same_password_hashing_as_a_wrong_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The time an answer takes is the password hasher's (a real one takes tens of
    milliseconds): one run for a wrong password, one for a user who does not exist,
    so that timing does not tell which accounts exist."""
    staff_build("editor")
    hasher = type(get_hasher())
    runs: list[str] = []
    encode = hasher.encode

    def counted(self: Any, password: str, salt: str, *args: Any) -> str:
        runs.append(password)
        return encode(self, password, salt, *args)

    monkeypatch.setattr(hasher, "encode", counted)
    sign_in("nobody", "a-wrong-passphrase")
    assert runs == ["a-wrong-passphrase"]
    sign_in("editor", "a-wrong-passphrase")
    assert runs == ["a-wrong-passphrase"] * 2


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failures_from_any_address() -> None:
    staff_build("editor")
    for n in range(3):
        sign_in("editor", "a-wrong-passphrase", address=f"198.51.100.{n}")
    locked = sign_in("editor", PASSWORD, address="192.0.2.77")  # right, elsewhere
    response = locked.response  # type: ignore[attr-defined]
    assert response.status_code == 429
    assert "_auth_user_id" not in locked.session
    assert "тым көп сәтсіз кіру" in response.content.decode()  # kk, the default
    assert "<h1>" in response.content.decode()  # a page of the admin's, not a line


@override_settings(AXES_FAILURE_LIMIT=2)
def test_an_unknown_user_is_locked_as_an_account_is_and_told_in_russian() -> None:
    staff_build("editor")
    answers = []
    for name in ("nobody", "editor"):
        for n in range(3):
            client = Client(REMOTE_ADDR=f"198.51.100.{n}", HTTP_ACCEPT_LANGUAGE="ru")
            wrong = {"username": name, "password": "a-wrong-passphrase"}
            client.post(reverse("wagtailadmin_login"), wrong)
        client.response = client.post(  # type: ignore[attr-defined]
            reverse("wagtailadmin_login"), {"username": name, "password": PASSWORD}
        )
        answers.append(answer(client))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429
    assert "Слишком много неудачных попыток входа" in answers[0][1]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_address_is_locked_after_failures_on_many_accounts() -> None:
    staff_build("editor")
    for name in ("anna", "bolat", "dana"):
        sign_in(name, "a-wrong-passphrase")
    assert sign_in("editor", PASSWORD).response.status_code == 429  # type: ignore[attr-defined]
    other = sign_in("editor", PASSWORD, address="192.0.2.200")
    assert other.response.status_code == 302  # type: ignore[attr-defined]
    assert AccessAttempt.objects.exists()


def test_a_password_needs_twelve_characters() -> None:
    with pytest.raises(ValidationError):
        validate_password("short-pass1")
    validate_password("a-long-passphrase-2026")


def test_the_admins_password_change_refuses_a_short_one() -> None:
    user = staff_build("editor")
    short = "Qv7#short-1"  # 11 characters, neither common nor numeric
    data = {"old_password": PASSWORD, "new_password1": short, "new_password2": short}
    form = PasswordChangeForm(user, data)
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors["new_password2"])


def test_a_session_ends_when_idle_and_each_request_renews_it() -> None:
    assert settings.SESSION_COOKIE_AGE == 4 * 3600  # AQPARAT_SESSION_IDLE_SECONDS
    home = reverse("wagtailadmin_home")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(staff_build("editor"))
    for hours in (3, 6, 9):  # 9 hours signed in, never more than 3 idle
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert client.get(home).status_code == 200
    with time_machine.travel(start + timedelta(hours=13, minutes=1), tick=False):
        assert client.get(home).status_code == 302  # 4 hours and a minute idle
        assert client.get(home)["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_password_change_ends_the_other_sessions() -> None:
    user = staff_build("editor")
    elsewhere = signed_in(user)
    assert elsewhere.get(reverse("wagtailadmin_home")).status_code == 200
    user.set_password("another-long-passphrase")
    user.save()
    assert elsewhere.get(reverse("wagtailadmin_home")).status_code == 302


def test_deactivation_ends_the_session() -> None:
    user = staff_build("editor")
    client = signed_in(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_signing_out_ends_the_session() -> None:
    client = signed_in(staff_build("editor"))
    client.post(reverse("wagtailadmin_logout"))
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
