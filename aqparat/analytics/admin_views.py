"""Editors' audience analytics in the Wagtail admin."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from aqparat.analytics.forms import AudienceFilterForm
from aqparat.analytics.selectors import (
    TopArticle,
    article_daily_views,
    beacons_dropped_total,
    daily_bars,
    top_articles,
    trending,
)
from aqparat.analytics.services import ALMATY
from aqparat.news.models import ArticlePage


@permission_required("analytics.view_audience", raise_exception=True)
def audience_report(request: HttpRequest) -> HttpResponse:
    """Top articles for a period, edition and section; trending now; CSV export."""
    form = AudienceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate(timezone=ALMATY)
    start, end = (
        data.get("start") or today - timedelta(days=6),
        data.get("end") or today,
    )
    language, section = data.get("language") or "", data.get("section")
    rows = top_articles(start=start, end=end, language=language,
                        section_id=section.pk if section else None)  # fmt: skip
    if request.GET.get("format") == "csv":
        return _csv(rows, start=start, end=end)
    languages = [language] if language else [
        code for code, _name in settings.LANGUAGES
        if code != settings.LATIN_EDITION_LANGUAGE
    ]  # fmt: skip
    return TemplateResponse(
        request,
        "analytics/admin/audience_report.html",
        {
            "form": form, "rows": rows, "start": start, "end": end,
            "trending": [(code, trending(language=code)) for code in languages],
            "dropped": beacons_dropped_total(),
            "csv_query": _with(request, format="csv"),
        },
    )  # fmt: skip


@permission_required("analytics.view_audience", raise_exception=True)
def article_audience(request: HttpRequest, page_id: int) -> HttpResponse:
    """One article's views by day, as a chart and a table."""
    article = get_object_or_404(ArticlePage, pk=page_id)
    end = timezone.localdate(timezone=ALMATY)
    start = max(
        end - timedelta(days=29),
        timezone.localdate(article.first_published_at or timezone.now(), ALMATY),
    )
    days = article_daily_views(page_id=article.pk, start=start, end=end)
    return TemplateResponse(
        request,
        "analytics/admin/article_audience.html",
        {
            "article": article, "days": days, "bars": daily_bars(days),
            "total": sum(d.views for d in days), "start": start, "end": end,
        },
    )  # fmt: skip


def _csv(rows: list[TopArticle], *, start: object, end: object) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audience-{start}-{end}.csv"'
    )
    response.write("\ufeff")  # so spreadsheets read the Cyrillic as UTF-8
    writer = csv.writer(response)
    writer.writerow(["page_id", "title", "edition", "section", "views"])
    for row in rows:
        writer.writerow([row.page_id, _safe(row.title), row.language,
                         _safe(row.section), row.views])  # fmt: skip
    return response


def _safe(text: str) -> str:
    """No formula injection when the CSV is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _with(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
