"""Newsroom admin views: the translation-status report and 'mark as up to date'."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from aqparat.news.selectors import translation_status_list
from aqparat.news.services import translation_mark_current


def translation_status_report(request: HttpRequest) -> HttpResponse:
    """Per article: which languages exist and which translations are stale."""
    languages = [
        code
        for code, _name in settings.LANGUAGES
        if code != settings.LATIN_EDITION_LANGUAGE
    ]
    return TemplateResponse(
        request,
        "news/admin/translation_status_report.html",
        {"rows": translation_status_list(), "languages": languages},
    )


def translation_mark_current_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET asks for confirmation; POST records that the translation is up to date."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        translation_mark_current(translation=page)
        messages.success(request, _("The translation is marked as up to date."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request, "news/admin/translation_mark_current.html", {"page": page}
    )
