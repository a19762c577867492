"""Newsroom admin views: the translation-status report, 'translate into …' and
'mark as up to date'."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from aqparat.news.models import ArticlePage, SectionPage
from aqparat.news.panels import LANGUAGE_WORDING
from aqparat.news.selectors import edition_languages, translation_status_list
from aqparat.news.services import translation_draft, translation_mark_current


def translation_status_report(request: HttpRequest) -> HttpResponse:
    """Per live story of the default edition: which languages exist, which are
    stale, and a "translate" link for each gap; filtered by a missing language
    ("any" for any) and by section."""
    languages = edition_languages()
    missing = request.GET.get("missing", "")
    missing = missing if missing in (*languages, "any") else ""
    sections = SectionPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE, alias_of=None
    ).order_by("title")
    section_id = request.GET.get("section", "")
    section = next((s for s in sections if str(s.pk) == section_id), None)
    rows = translation_status_list(missing=missing or None, section=section)
    names = [(code, LANGUAGE_WORDING[code].name) for code in languages]
    return TemplateResponse(
        request,
        "news/admin/translation_status_report.html",
        {"rows": rows, "languages": languages, "language_names": names,
         "missing": missing, "sections": sections, "section": section},
    )  # fmt: skip


def translate_view(request: HttpRequest, page_id: int, language: str) -> HttpResponse:
    """'Translate into …': GET asks to confirm, POST makes the story's draft in that
    edition and opens it; a translation that exists is opened at once."""
    if language not in edition_languages():
        raise Http404
    source = get_object_or_404(ArticlePage, pk=page_id, alias_of=None)
    if not source.permissions_for_user(request.user).can_edit():
        raise PermissionDenied  # its draft's text is not theirs to copy elsewhere
    locale = get_object_or_404(Locale, language_code=language)
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return redirect("wagtailadmin_pages:edit", existing.pk)
    section = source.get_parent()
    parent = section.get_translation_or_none(locale)
    if parent is None:  # nothing to refuse yet: say what comes first
        messages.error(request, _(
            "The section “%(section)s” is not in that edition yet: translate the "
            "section first, then the story."
        ) % {"section": section.title})  # fmt: skip
        return redirect("wagtailadmin_pages:edit", source.pk)
    if not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    if request.method == "POST":
        draft = translation_draft(source=source, language=language, user=request.user)
        messages.success(request, _("A draft to translate: “%(title)s”.") % {
            "title": draft.get_admin_display_title()
        })  # fmt: skip
        return redirect("wagtailadmin_pages:edit", draft.pk)
    intro = str(LANGUAGE_WORDING[language].make_draft) % {
        "title": source.title, "section": parent.title
    }  # fmt: skip
    return TemplateResponse(
        request, "news/admin/translate_confirm.html", {"intro": intro}
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
