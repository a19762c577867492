"""Two-step sign-in: a time-based code (TOTP, any authenticator app) after the
password, with single-use recovery codes, on django-otp's devices.

Who must use it: superusers and members of AQPARAT_TWO_FACTOR_GROUPS (the chief
editors: they publish anything under the outlet's name and run staff accounts),
when AQPARAT_TWO_FACTOR_REQUIRED is on (production). Every other staff member may.
"""

from __future__ import annotations

import math
import secrets
from base64 import b32encode
from collections.abc import Iterable
from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user, login, match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
_SETUP_NAME = "authenticator"


def two_factor_required(user: Any) -> bool:
    if not settings.AQPARAT_TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(
        user.groups.filter(name__in=settings.AQPARAT_TWO_FACTOR_GROUPS).exists()
    )


def two_factor_enrolled(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_device_pending(user: Any) -> TOTPDevice:
    """The user's authenticator being set up (not yet confirmed by a code): one at a
    time, kept across reloads of the setup page so the QR code stays the same."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": _SETUP_NAME}
    )
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here, no service)."""
    code = segno.make(device.config_url, error="m")
    return str(code.svg_inline(scale=4, dark="#111", light="#fff"))


def totp_key_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32 (what the QR code
    carries), in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def totp_confirm(device: TOTPDevice, token: str) -> bool:
    """Confirm a pending authenticator with a code from it; replaces older ones."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def recovery_codes_make(user: Any) -> list[str]:
    """Ten new single-use codes (the old ones stop working), shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code) for code in codes]
    )
    return codes


def code_wait_seconds(devices: Iterable[Device]) -> int:
    """Seconds until one of these devices takes a code again, 0 if one does now.
    After n wrong codes in a row django-otp refuses every code of a device, the
    right one too, for 2^(n-1) seconds: the user must be told to wait, not that a
    right code is wrong."""
    now = timezone.now()
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (data or {}).get("locked_until")
        if locked_until is not None:
            waits.append(math.ceil((locked_until - now).total_seconds()))
    return max(1, min(waits)) if waits else 0


def second_step_wait_seconds(user: Any) -> int:
    """Seconds until the second step takes a code again (any of the user's)."""
    return code_wait_seconds(devices_for_user(user, confirmed=True))


def second_step_verify(request: HttpRequest, token: str) -> bool:
    """Check a code (an authenticator's or a recovery code, used up) and mark the
    session as verified."""
    device = match_token(request.user, token.strip().replace(" ", "").lower())
    if device is None:
        return False
    login(request, device)
    return True


def two_factor_remove(user: Any) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()
