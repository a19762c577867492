"""The JSON shapes of the API, as published in /api/v1/openapi.json.

Every object forbids extra properties (`additionalProperties: false` in the schema),
so a field that leaves the API without being documented fails the schema tests.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import BeforeValidator, ConfigDict, Strict

Language = Literal["kk", "kk-latn", "ru", "en"]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=255)]


def _date_or_datetime(value: Any) -> Any:
    """A day ("2026-11-29") or else an ISO 8601 moment (see almaty_bound).

    Parsed here, as pydantic alone would also take "-0.5" for a Unix time."""
    if not isinstance(value, str):
        return value
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


Moment = Annotated[
    Annotated[date, Strict()] | datetime, BeforeValidator(_date_or_datetime)
]


# Money as published, exactly: a decimal string such as "498.5100", never a float.
DecimalText = Annotated[str, BeforeValidator(str), Field(pattern=r"^-?\d+(\.\d+)?$")]


class Out(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Out):
    location: str = Field(description='Where: "query.page", "path.article_id"…')
    message: str


class ErrorOut(Out):
    """Every error, whatever its status, has this shape."""

    status: int
    code: str = Field(
        description="Stable: not_found, method_not_allowed, unknown_parameter, "
        "invalid, server_error."
    )
    message: str
    details: list[ErrorDetail]


class SectionOut(Out):
    id: int
    slug: str
    title: str
    url: str


class TagOut(Out):
    slug: str
    name: str


class EditionTagOut(TagOut):
    article_count: int


class AuthorOut(Out):
    name: str
    slug: str
    role: str


class SourceOut(Out):
    name: str
    short_name: str
    url: str
    relation: Literal["citing", "reprint", "based_on"]


class ImageOut(Out):
    url: str = Field(description="A pre-generated WebP rendition (absolute URL).")
    width: int
    height: int
    alt: str
    caption: str
    credit: str


class TranslationOut(Out):
    language: Language
    id: int
    url: str


class ArticleOut(Out):
    id: int
    language: Language
    url: str
    headline: str
    lead: str
    breaking: bool
    section: SectionOut | None
    tags: list[TagOut]
    authors: list[AuthorOut]
    sources: list[SourceOut]
    first_published_at: datetime = Field(description="ISO 8601, Almaty offset.")
    modified_at: datetime = Field(
        description="The latest correction or update note, else first publication."
    )
    lead_image: ImageOut | None
    translations: list[TranslationOut] = Field(
        description="The same story in the other editions that are public."
    )
    views: int


class ArticleDetailOut(ArticleOut):
    body_html: str = Field(
        description="The body as the article page renders it (HTML from the "
        "newsroom's own block templates and sanitised rich text)."
    )


class ArticleFilters(Schema):
    language: Language | None = None
    section: Slug | None = None
    tag: Slug | None = None
    published_from: Moment | None = Field(
        None, description="A date (from the start of that Almaty day) or a moment."
    )
    published_to: Moment | None = Field(
        None, description="A date (to the end of that Almaty day) or a moment."
    )


class RateOut(Out):
    currency: str
    quant: int
    value: DecimalText = Field(description="Tenge per `quant` units, as published.")
    per_unit: DecimalText
    change: DecimalText = Field(
        description="The change since the previous day, per quant."
    )
    index: str = Field(description='The bank\'s direction mark: "UP", "DOWN" or "".')


class RatesOut(Out):
    on_date: date
    stored_at: datetime
    rates: list[RateOut]


class MostReadOut(Out):
    id: int
    headline: str
    url: str
    views: int


class PageNumber(PaginationBase):
    """`page` and `page_size` (clamped to AQPARAT_API_MAX_PAGE_SIZE), answered with
    the total `count` and absolute `next`/`previous` addresses."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(
            None,
            ge=1,
            description="Above AQPARAT_API_MAX_PAGE_SIZE (100 by default) means that.",
        )

    class Output(Out):
        count: int
        page: int
        page_size: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        size = min(
            pagination.page_size or settings.AQPARAT_API_PAGE_SIZE,
            settings.AQPARAT_API_MAX_PAGE_SIZE,
        )
        page = pagination.page
        count = queryset.count()
        start = (page - 1) * size
        return {
            "count": count,
            "page": page,
            "page_size": size,
            "next": _page_url(request, page + 1) if start + size < count else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "results": queryset[start : start + size] if start < count else [],
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, True)}")
