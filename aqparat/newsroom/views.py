"""The admin's create view for news pages: one page per create form.

Wagtail's create form autosaves (every 500 ms after a change), and the first
autosave makes the page. Until the browser has read that answer the form still posts
to the create URL, so a "Submit" pressed meanwhile, or the autosave of a change made
meanwhile, reaches the create view again, possibly at the same moment on another
worker. Wagtail would make the page twice, and the second attempt fails on the slug
with a server error that loses the journalist's text. Here every create form carries
a key (news.forms.DRAFT_KEY_FIELD): creations under one parent wait for each other,
and a request whose form has already made its page continues that page through the
edit view. Wagtail offers no hook for this, so it is written here.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.urls import resolve, reverse
from wagtail.admin.utils import set_query_params
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import Page

from aqparat.news.forms import DRAFT_KEY_FIELD
from aqparat.newsroom.models import DraftOrigin


class NewsPageCreateView(CreateView):
    def post(self, request: Any) -> HttpResponse:
        key = draft_key(request.POST)
        if key is None:
            return super().post(request)
        with transaction.atomic():
            # Creations under one parent wait for each other (on SQLite the IMMEDIATE
            # transaction already does), so the later of two requests from one form
            # finds the page the earlier one made.
            list(Page.objects.select_for_update().filter(pk=self.parent_page.pk))
            made = draft_page(key=key, user=request.user, parent=self.parent_page)
            if made is not None:
                return self._continue(made)
            response = super().post(request)
            if self.page.pk:
                DraftOrigin.objects.get_or_create(key=key, defaults={"page": self.page})
            return response

    def _continue(self, page: Page) -> HttpResponse:
        """This form's page exists: apply the request to it as its edit form would."""
        if self.expects_json_response and page_past_drafting(page):
            # An autosave that lost the race to this form's own Submit or Publish:
            # the story has moved on, and its text is that of the same moment.
            return JsonResponse(draft_moved_answer(page))
        edit_form = page.specific_class.get_edit_handler().get_form_class()(
            instance=page.get_latest_revision_as_object(),
            parent_page=page.get_parent(),
            for_user=self.request.user,
        )
        shifts = {}
        data = self.request.POST.copy()
        for formset in edit_form.formsets.values():
            existing = [child.pk for child in formset.get_queryset() if child.pk]
            if formset_replace(data, prefix=formset.prefix, existing=existing):
                shifts[formset.prefix] = len(existing)
        self.request.POST = data
        edit = resolve(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        response = edit.func(self.request, *edit.args, **edit.kwargs)
        if not isinstance(response, JsonResponse):
            return response
        answer = json.loads(response.content)
        if answer.get("success"):
            answer["field_updates"] = field_updates_unshifted(
                answer.get("field_updates", {}), shifts=shifts
            )
            answer.update(draft_urls(page))
        return JsonResponse(answer, status=response.status_code)


def draft_key(data: QueryDict) -> uuid.UUID | None:
    try:
        return uuid.UUID(data.get(DRAFT_KEY_FIELD) or "")
    except ValueError:
        return None


def draft_page(*, key: uuid.UUID, user: Any, parent: Page) -> Page | None:
    """The page this user's create form (by its key) has already made under parent."""
    origin = (
        DraftOrigin.objects.filter(key=key, page__owner=user)
        .select_related("page")
        .first()
    )
    if origin is None or not origin.page.is_child_of(parent):
        return None
    return origin.page


def page_past_drafting(page: Page) -> bool:
    """In review, scheduled or live: no longer a draft an autosave may rewrite."""
    return bool(
        page.live
        or page.specific.workflow_in_progress
        or page.scheduled_revision is not None
    )


def draft_urls(page: Page) -> dict[str, str]:
    """Where the open create form goes on from here, as Wagtail's create view says."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return {
        "url": url,
        "hydrate_url": set_query_params(url, {"_w_hydrate_create_view": "1"}),
    }


def draft_moved_answer(page: Page) -> dict[str, Any]:
    revision = page.get_latest_revision()
    return {
        "success": True,
        "pk": page.pk,
        "revision_id": revision.pk if revision else None,
        "revision_created_at": revision.created_at.isoformat() if revision else None,
        "field_updates": {},
        **draft_urls(page),
    }


def formset_replace(data: QueryDict, *, prefix: str, existing: list[Any]) -> bool:
    """Make the posted forms of one inline formset replace the page's children.

    The create form's children carry no ids, so the edit form would add them beside
    those the earlier request made. The existing children become the first forms,
    marked deleted, and the posted forms follow, renumbered. False when the request
    has no such formset."""
    total_key = f"{prefix}-TOTAL_FORMS"
    if total_key not in data:
        return False
    total, shift = int(data.get(total_key) or 0), len(existing)
    form_key = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    moved = {}
    for key in list(data.keys()):
        match = form_key.match(key)
        if match and int(match[1]) < total:
            moved[f"{prefix}-{int(match[1]) + shift}-{match[2]}"] = data.getlist(key)
            del data[key]
    for key, values in moved.items():
        data.setlist(key, values)
    for index, pk in enumerate(existing):
        data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-{index}-DELETE"] = "1"
    data[total_key] = str(total + shift)
    data[f"{prefix}-INITIAL_FORMS"] = str(shift)
    return True


def field_updates_unshifted(
    updates: dict[str, Any], *, shifts: dict[str, int]
) -> dict[str, Any]:
    """The edit view's field updates, numbered as the open create form numbers its
    forms (formset_replace put the deleted children first)."""
    result = {}
    for name, value in updates.items():
        for prefix, shift in shifts.items():
            if name == f"{prefix}-INITIAL_FORMS":
                value = str(int(value) - shift)
                break
            match = re.match(rf"^{re.escape(prefix)}-(\d+)-(.+)$", name)
            if match:
                index = int(match[1]) - shift
                name = f"{prefix}-{index}-{match[2]}" if index >= 0 else ""
                break
        if name:
            result[name] = value
    return result
