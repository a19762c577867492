"""The data migrations' own functions, run against the current models."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from wagtail.users.models import UserProfile

from aqparat.users.tests.factories import staff_build

pytestmark = pytest.mark.django_db


def test_a_time_zone_a_user_chose_before_is_cleared() -> None:
    """Wagtail would still apply it although the account form no longer offers it,
    and go-live and embargo times would be read in that zone."""
    migration = importlib.import_module(
        "aqparat.newsroom.migrations.0002_admin_in_almaty_time"
    )
    profile = UserProfile.get_for_user(staff_build("traveller"))
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    migration.zones_clear(apps, None)
    profile.refresh_from_db()
    assert profile.current_time_zone == ""
