"""Two-step sign-in: required for chief editors and administrators (they can publish
anything under the outlet's name and run the staff accounts), open to every other
staff member; a code from an authenticator app after each new sign-in, or one of
the single-use recovery codes."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aqparat.newsroom import roles
from aqparat.users.tests.factories import signed_in, staff_build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("two_factor_required"),
]
HOME = "/admin/"
SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture
def two_factor_required() -> object:
    with override_settings(AQPARAT_TWO_FACTOR_REQUIRED=True):
        yield


def code_of(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now."""
    code = totp(device.bin_key, device.step, device.t0, device.digits)
    return f"{code:0{device.digits}d}"


def enrol(client: Client) -> list[str]:
    """Set up an authenticator as the user would; the recovery codes shown."""
    page = client.get(reverse("users_two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"])
    shown = client.post(reverse("users_two_factor_setup"), {"code": code_of(device)})
    assert shown.status_code == 200
    return re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>",
                      shown.content.decode())  # fmt: skip


def test_a_chief_editor_must_set_it_up_before_anything_else() -> None:
    client = signed_in(staff_build("chief", roles.CHIEF_EDITORS))
    for path in (HOME, "/admin/pages/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("users_two_factor_setup"))
    codes = enrol(client)
    assert len(codes) == 10
    assert client.get(HOME).status_code == 200


def test_an_administrator_must_too() -> None:
    admin = get_user_model().objects.create_superuser("root", "r@example.com", "x" * 16)
    response = signed_in(admin).get(HOME)
    assert response.status_code == 302 and "two-factor/setup" in response["Location"]


def test_a_wrong_code_does_not_confirm_the_authenticator() -> None:
    client = signed_in(staff_build("chief", roles.CHIEF_EDITORS))
    client.get(reverse("users_two_factor_setup"))
    device = TOTPDevice.objects.get()
    wrong = f"{(int(code_of(device)) + 1) % 10**6:06d}"
    response = client.post(reverse("users_two_factor_setup"), {"code": wrong})
    assert "not the one the app shows" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME).status_code == 302


def test_each_new_sign_in_asks_for_the_code_and_a_recovery_code_works_once() -> None:
    user = staff_build("chief", roles.CHIEF_EDITORS)
    codes = enrol(signed_in(user))
    later = signed_in(user)  # another sign-in with the password
    response = later.get(HOME)
    assert response.status_code == 302 and "two-factor/verify" in response["Location"]
    refused = later.post(reverse("users_two_factor_verify"), {"code": "000000"})
    assert refused.status_code == 200 and later.get(HOME).status_code == 302
    # A new authenticator cannot replace the one this session has not proven.
    assert (
        "two-factor/verify" in later.get(reverse("users_two_factor_setup"))["Location"]
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # throttled 1 s
        used = later.post(reverse("users_two_factor_verify"), {"code": codes[0]})
        assert used.status_code == 302 and later.get(HOME).status_code == 200
        again = signed_in(user)
        again.post(reverse("users_two_factor_verify"), {"code": codes[0]})
        assert again.get(HOME).status_code == 302  # used up
    with time_machine.travel(timezone.now() + timedelta(seconds=95)):  # a new code
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        again.post(reverse("users_two_factor_verify"), {"code": code_of(device)})
        assert again.get(HOME).status_code == 200


def test_a_journalist_is_not_forced_but_may_use_it() -> None:
    client = signed_in(staff_build("journalist", roles.JOURNALISTS))
    assert client.get(HOME).status_code == 200
    enrol(client)
    later = signed_in(TOTPDevice.objects.get().user)
    assert later.get(HOME).status_code == 302  # enrolled: the second step applies
    later.post(reverse("users_two_factor_disable"))  # not verified: sent to the step
    assert TOTPDevice.objects.exists()
    client.post(reverse("users_two_factor_disable"))  # the verified session may
    assert not TOTPDevice.objects.exists()
    assert later.get(HOME).status_code == 200


def test_the_key_to_type_is_the_one_the_qr_code_carries() -> None:
    """Authenticator apps take a typed key in base32, as the otpauth:// address
    in the QR code carries it (not the hex of the bytes)."""
    client = signed_in(staff_build("chief", roles.CHIEF_EDITORS))
    page = client.get(reverse("users_two_factor_setup")).content.decode()
    typed = re.search(r'data-two-factor="secret">([A-Z2-7 ]+)</code>', page)
    assert typed is not None
    device = TOTPDevice.objects.get()
    key = typed[1].replace(" ", "")
    assert f"secret={key}&" in device.config_url
    assert b32decode(key + "=" * (-len(key) % 8)) == device.bin_key


def test_the_qr_code_is_drawn_inline_without_a_script_or_another_site() -> None:
    client = signed_in(staff_build("journalist", roles.JOURNALISTS))
    page = client.get(reverse("users_two_factor_setup")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg and "http" not in svg.replace(SVG_NS, "")


def test_every_user_finds_it_on_their_account_page() -> None:
    client = signed_in(staff_build("journalist", roles.JOURNALISTS))
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("users_two_factor_setup") in page
    assert "Off for your account" in page
    enrol(client)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "On for your account" in page


def test_the_second_step_shows_no_admin_menu() -> None:
    user = staff_build("chief", roles.CHIEF_EDITORS)
    enrol(signed_in(user))
    page = signed_in(user).get(reverse("users_two_factor_verify")).content.decode()
    assert 'name="code"' in page
    assert "wagtail-sidebar-props" not in page


def test_after_wrong_codes_the_user_is_told_to_wait_not_that_it_is_wrong() -> None:
    """django-otp refuses every code for 2^(n-1) seconds after n wrong ones."""
    user = staff_build("chief", roles.CHIEF_EDITORS)
    enrol(signed_in(user))
    device = TOTPDevice.objects.get(user=user)
    client = signed_in(user)
    start = timezone.now() + timedelta(minutes=2)  # past the enrolment's code
    for n, wrong in enumerate(("000000", "111111", "222222")):  # 1, 2, then 4 s
        with time_machine.travel(start + timedelta(seconds=10 * n), tick=False):
            client.post(reverse("users_two_factor_verify"), {"code": wrong})
    with time_machine.travel(start + timedelta(seconds=21), tick=False):
        right = client.post(reverse("users_two_factor_verify"),
                            {"code": code_of(device)})  # fmt: skip
        assert "Wait 3 seconds" in right.content.decode()
        assert client.get(HOME).status_code == 302
    with time_machine.travel(start + timedelta(seconds=24), tick=False):
        right = client.post(reverse("users_two_factor_verify"),
                            {"code": code_of(device)})  # fmt: skip
        assert right.status_code == 302 and client.get(HOME).status_code == 200


def test_the_screens_before_the_second_step_get_the_admins_icons() -> None:
    """The admin's pages fetch its icons and insert what they get: a redirect to
    the second step would insert a copy of the whole page."""
    client = signed_in(staff_build("chief", roles.CHIEF_EDITORS))
    sprite = client.get(reverse("wagtailadmin_sprite"))
    assert sprite.status_code == 200 and b"<svg" in sprite.content
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get(HOME).status_code == 302
