"""Panels the apps add to the admin's dashboard."""

from __future__ import annotations

from typing import Any

from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    """A template and what it shows; `name` and `order` place it on the dashboard."""

    def __init__(
        self, *, name: str, order: int, template_name: str, context: dict[str, Any]
    ) -> None:
        self.name = name
        self.order = order
        self.template_name = template_name
        self.context = context

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return dict(self.context)
