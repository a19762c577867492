from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """How the newsroom works: roles and desks, review, scheduled and embargoed
    publication, and the editors' dashboard."""

    name = "aqparat.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        post_migrate.connect(_administrators_sync, dispatch_uid="newsroom-admins")


def _administrators_sync(sender: Any, **kwargs: Any) -> None:
    """Administrators hold every model permission, including those of models added
    later: the permissions exist only after post_migrate, so they are granted here."""
    from django.contrib.auth.models import Group, Permission

    from aqparat.newsroom.roles import ADMINISTRATORS

    using = kwargs.get("using", "default")
    group = Group.objects.using(using).filter(name=ADMINISTRATORS).first()
    if group is not None:
        group.permissions.add(*Permission.objects.using(using).all())
