"""Editors' view of the Telegram outbox: the report and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aqparat.telegram.models import PostState
from aqparat.telegram.selectors import post_list
from aqparat.telegram.services import EDITOR_ACTIONS, post_editor_action

DONE = {
    "retry": gettext_lazy("The post will be tried again."),
    "resend": gettext_lazy("The post will be sent again."),
    "cancel": gettext_lazy("The post is cancelled."),
    "mark_posted": gettext_lazy("The post is marked as posted."),
}


@permission_required("telegram.view_telegrampost", raise_exception=True)
def outbox_report(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    page = Paginator(post_list(state=state), 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "telegram/admin/outbox_report.html",
        {
            "posts": page,
            "state": state,
            "states": PostState.choices,
            "can_manage": request.user.has_perm("telegram.manage_telegrampost"),
        },
    )


@require_POST
@permission_required("telegram.manage_telegrampost", raise_exception=True)
def post_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    if action not in EDITOR_ACTIONS:
        raise Http404
    if post_editor_action(post_id=post_id, action=action):
        messages.success(request, str(DONE[action]))
    else:
        messages.warning(
            request, _("The post has changed meanwhile; nothing was done.")
        )
    return redirect("telegram_outbox")
