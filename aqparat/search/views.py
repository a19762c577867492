"""The site search page of each edition: /<lang>/search/?q=…&page=…"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from aqparat.search.selectors import article_search


def search_page(request: HttpRequest) -> HttpResponse:
    """Any query answers 200: results, or "nothing found". Result pages are kept
    out of search engines (noindex) and only briefly in caches: no publication
    purges them."""
    results = article_search(
        query=request.GET.get("q"),
        language_code=get_language() or settings.LANGUAGE_CODE,
        page_number=request.GET.get("page"),
    )
    response = TemplateResponse(
        request, "aqparat_search/search_page.html", {"results": results}
    )
    response["X-Robots-Tag"] = "noindex"
    age = settings.AQPARAT_SEARCH_MAX_AGE
    patch_cache_control(response, public=True, max_age=age, s_maxage=age)
    return response
