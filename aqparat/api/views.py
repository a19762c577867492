"""Routes of the read-only JSON API, /api/v1/ (docs/subsystems/api.md).

Each route checks its query string, calls one selector and lets its schema shape the
answer. Errors of every kind leave as JSON with one shape (schemas.ErrorOut).
"""

import logging
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import paginate

from aqparat.api import selectors
from aqparat.api.schemas import (
    ArticleDetailOut,
    ArticleFilters,
    ArticleOut,
    EditionTagOut,
    ErrorOut,
    Language,
    MostReadOut,
    PageNumber,
    RatesOut,
    SectionOut,
)
from aqparat.core.middleware import note_last_modified
from aqparat.core.selectors import site_settings_for_request

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Aqparat API",
    version="1",
    description="Read-only news of the kk, kk-latn, ru and en editions.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from our static files ("ninja" is an installed app), and without
    # its badge, an image from the validator's site that would send it our schema's
    # address: the page loads nothing from another origin (CONTENT_SECURITY_POLICY).
    docs=Swagger(settings={"validatorUrl": None}),
)

ERRORS: dict[int | str, Any] = {400: ErrorOut, 422: ErrorOut, 500: ErrorOut}


class UnknownParameters(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def only_known(request: HttpRequest, *allowed: str) -> None:
    """Answer 400 for a query parameter the route does not know (a typo such as
    `?secton=` would otherwise silently return everything)."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise UnknownParameters(unknown)


ARTICLE_PARAMS = (*ArticleFilters.model_fields, "page", "page_size")


@api.get(
    "/articles",
    response={200: list[ArticleOut], **ERRORS},
    summary="Articles, newest first",
)
@paginate(PageNumber)
def article_list(
    request: HttpRequest, filters: Query[ArticleFilters]
) -> selectors.ArticleResults:
    only_known(request, *ARTICLE_PARAMS)
    bounds = {
        name: selectors.almaty_bound(value, end=name == "published_to")
        for name in ("published_from", "published_to")
        if (value := getattr(filters, name)) is not None
    }
    return selectors.article_list(
        language=filters.language, section=filters.section, tag=filters.tag, **bounds
    )


@api.get(
    "/articles/{article_id}",
    response={200: ArticleDetailOut, 404: ErrorOut, **ERRORS},
    summary="One article with its body",
)
def article_detail(
    request: HttpRequest, article_id: int = Path(..., ge=1, le=2**31 - 1)
) -> selectors.ArticleCard:
    only_known(request)
    article = selectors.article_get(article_id=article_id)
    if article is None:
        raise Http404("No public article has this id.")
    note_last_modified(request, article.modified_at)
    return article


@api.get("/sections", response={200: list[SectionOut], **ERRORS})
def section_list(request: HttpRequest, language: Language) -> Any:
    only_known(request, "language")
    return selectors.section_list(language=language)


@api.get(
    "/tags",
    response={200: list[EditionTagOut], **ERRORS},
    summary="The edition's 100 most used tags",
)
def tag_list(request: HttpRequest, language: Language) -> Any:
    only_known(request, "language")
    return selectors.tag_list(language=language)


@api.get(
    "/rates",
    response={200: RatesOut, 404: ErrorOut, **ERRORS},
    summary="The ticker's National Bank rates (newest day) with the day's change",
)
def rates(request: HttpRequest) -> Any:
    only_known(request)
    codes = site_settings_for_request(request=request).ticker_codes
    day = selectors.rates_today(currencies=codes)
    if day is None:
        raise Http404("No rates have been stored yet.")
    note_last_modified(request, day.stored_at)
    return day


@api.get("/most-read", response={200: list[MostReadOut], **ERRORS})
def most_read(
    request: HttpRequest,
    language: Language,
    period: Literal["24h", "7d"] = "24h",
    limit: int = Query(5, ge=1, le=20),
) -> Any:
    only_known(request, "language", "period", "limit")
    return selectors.most_read_list(language=language, period=period, limit=limit)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = {"status": status, "code": code, "message": message}
    return api.create_response(
        request, {**body, "details": details or []}, status=status
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(UnknownParameters)
def _unknown(request: HttpRequest, exc: UnknownParameters) -> HttpResponse:
    details = [
        {"location": f"query.{name}", "message": "Unknown parameter."}
        for name in exc.names
    ]
    return error_response(
        request, 400, "unknown_parameter", "Unknown query parameters.", details
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    return error_response(request, 422, "invalid", "Invalid parameters.", details)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s", request.path, exc_info=exc)
    response = error_response(
        request, 500, "server_error", "Something went wrong on our side."
    )
    response["Cache-Control"] = "no-store"
    return response
