"""Admin menu items shared by the apps' wagtail_hooks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding `permission` (the view checks it too)."""

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.permission))
