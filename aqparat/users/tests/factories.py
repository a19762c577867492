"""Newsroom staff for admin tests: who signs in, in which groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.users.models import UserProfile


def staff_build(username: str, *groups: str) -> Any:
    """A user who may enter the admin (in English), in the given groups."""
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.com", password="a-long-passphrase"
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(*Group.objects.filter(name__in=groups))
    assert user.groups.count() == len(groups), groups
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
