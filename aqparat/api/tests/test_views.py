"""The API's routes: filters, pages, exclusions, the Latin edition, errors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from aqparat.analytics.models import HourlyPageViews, PageViewCount
from aqparat.api.tests.conftest import Newsroom, almaty, get_json, latin_of
from aqparat.api.views import api
from aqparat.news.models import ArticlePage, ArticleTag, SectionPage
from aqparat.news.tests.factories import publish
from aqparat.rates.services import RateRow, rates_store
from aqparat.translit.models import LatinSpelling

ARTICLES = "/api/v1/articles"


def headlines(data: dict[str, object]) -> list[str]:
    return [item["headline"] for item in data["results"]]  # type: ignore[attr-defined]


def test_newest_first_in_one_language(client: Client, newsroom: Newsroom) -> None:
    newsroom.story({"en": "Older"}, first_published_at=almaty("2026-11-01T10:00+05:00"))
    newsroom.story({"en": "Newer", "ru": "Новее"},
                   first_published_at=almaty("2026-11-02T10:00+05:00"))  # fmt: skip
    data = get_json(client, ARTICLES, language="en")
    assert headlines(data) == ["Newer", "Older"]
    first = data["results"][0]
    assert first["first_published_at"] == "2026-11-02T10:00:00+05:00"
    assert first["url"].startswith("http://localhost/en/news/")
    assert first["section"]["slug"] == "news"
    assert [t["language"] for t in first["translations"]] == ["ru"]
    assert first["lead_image"]["url"].startswith("http")
    assert first["lead_image"]["credit"] == "MFA"
    assert "body_html" not in first


def test_section_and_tag_filters(client: Client, newsroom: Newsroom) -> None:
    sport = SectionPage(title="Sport", slug="sport")
    newsroom.editions.homes["en"].add_child(instance=sport)
    publish(sport)
    news = newsroom.story({"en": "In news"})["en"]
    sport_story = ArticlePage(title="In sport", slug="in-sport", lead="L.", body=[])
    sport.add_child(instance=sport_story)
    publish(sport_story)
    news.tags.add("Economy")
    publish(news)
    assert headlines(get_json(client, ARTICLES, section="sport")) == ["In sport"]
    assert headlines(get_json(client, ARTICLES, tag="economy")) == ["In news"]
    assert get_json(client, ARTICLES, tag="nothing")["count"] == 0


def test_dates_are_whole_almaty_days_or_moments(
    client: Client, newsroom: Newsroom
) -> None:
    # 00:30 on 29 November in Almaty is still the 28th in UTC.
    night = almaty("2026-11-29T00:30+05:00")
    newsroom.story({"en": "Night"}, first_published_at=night)
    assert get_json(client, ARTICLES, published_from="2026-11-29")["count"] == 1
    assert get_json(client, ARTICLES, published_to="2026-11-28")["count"] == 0
    assert get_json(client, ARTICLES, published_to="2026-11-29")["count"] == 1
    moment = "2026-11-28T19:31:00Z"
    assert get_json(client, ARTICLES, published_from=moment)["count"] == 0
    naive = "2026-11-29T00:29"  # Almaty time
    assert get_json(client, ARTICLES, published_to=naive)["count"] == 0
    assert get_json(client, ARTICLES, published_from="0001-01-01")["count"] == 1
    assert get_json(client, ARTICLES, published_to="9999-12-31")["count"] == 1


def test_pages_with_links(client: Client, newsroom: Newsroom) -> None:
    for n in range(3):
        newsroom.story({"en": f"Story {n}"})
    first = get_json(client, ARTICLES, language="en", page_size=2)
    assert (first["count"], first["page"], first["page_size"]) == (3, 1, 2)
    assert first["previous"] is None
    assert first["next"] == (
        "http://testserver/api/v1/articles?language=en&page_size=2&page=2"
    )
    second = get_json(client, first["next"])
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert "page=1" in second["previous"]
    assert get_json(client, ARTICLES, page=9)["results"] == []


@override_settings(AQPARAT_API_MAX_PAGE_SIZE=2)
def test_a_larger_page_size_is_clamped(client: Client, newsroom: Newsroom) -> None:
    for n in range(3):
        newsroom.story({"en": f"Story {n}"})
    data = get_json(client, ARTICLES, page_size=1000)
    assert data["page_size"] == 2
    assert len(data["results"]) == 2


def test_unknown_parameters_are_refused(client: Client, newsroom: Newsroom) -> None:
    data = get_json(client, ARTICLES, 400, secton="news", language="en")
    assert data == {
        "status": 400,
        "code": "unknown_parameter",
        "message": "Unknown query parameters.",
        "details": [{"location": "query.secton", "message": "Unknown parameter."}],
    }
    assert get_json(client, "/api/v1/rates", 400, x="1")["code"] == (
        "unknown_parameter"
    )


def test_invalid_values_are_422_in_the_error_shape(
    client: Client, newsroom: Newsroom
) -> None:
    response = client.get(ARTICLES, {"language": "xx", "page": "0"})
    assert "Cache-Control" not in response  # only 200s and 404s are cacheable
    data = get_json(client, ARTICLES, 422, language="xx", page="0")
    assert data["code"] == "invalid"
    assert {d["location"] for d in data["details"]} == {
        "query.language",
        "query.page",
    }
    assert get_json(client, ARTICLES, 422, published_from="2026-13-01")
    assert get_json(client, ARTICLES, 422, section="no spaces")


def test_drafts_embargoed_and_private_never_leave(
    client: Client, newsroom: Newsroom
) -> None:
    story = newsroom.story({"kk": "Жабық", "ru": "Закрытое", "en": "Public"})
    PageViewRestriction.objects.create(page=story["ru"], restriction_type="login")
    private_kk = story["kk"]
    PageViewRestriction.objects.create(page=private_kk, restriction_type="login")
    embargoed = ArticlePage(
        title="Embargoed", slug="embargoed", lead="L.", body=[],
        embargo_until=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    newsroom.editions.sections["en"].add_child(instance=embargoed)
    embargoed.save_revision()
    draft = ArticlePage(title="Draft", slug="draft", lead="L.", body=[], live=False)
    newsroom.editions.sections["en"].add_child(instance=draft)

    data = get_json(client, ARTICLES)
    assert headlines(data) == ["Public"]
    # Not as a translation either, nor through the Latin alias of the private one.
    assert data["results"][0]["translations"] == []
    hidden = [story["ru"], private_kk, latin_of(private_kk), embargoed, draft]
    for page in hidden:
        get_json(client, f"{ARTICLES}/{page.pk}", 404)


def test_expired_articles_never_leave(client: Client, newsroom: Newsroom) -> None:
    """Past `expire_at` but still live: the publication pass has not run yet."""
    story = newsroom.story({"kk": "Ескірген", "ru": "Истёкшее", "en": "Current"})
    gone = timezone.now() - timedelta(minutes=1)
    ArticlePage.objects.filter(pk__in=[story["kk"].pk, story["ru"].pk]).update(
        expire_at=gone
    )
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyPageViews.objects.create(page=story["ru"], language="ru", hour=hour, views=9)

    data = get_json(client, ARTICLES)
    assert headlines(data) == ["Current"]
    assert data["results"][0]["translations"] == []  # not as a translation either
    # Nor through the Latin alias of the expired Kazakh story (its source expired).
    for page in (story["kk"], story["ru"], latin_of(story["kk"])):
        get_json(client, f"{ARTICLES}/{page.pk}", 404)
    assert get_json(client, "/api/v1/most-read", language="ru") == []
    assert get_json(client, "/api/v1/most-read", language="kk-latn") == []


def test_an_embargo_hides_a_translation_link(
    client: Client, newsroom: Newsroom
) -> None:
    en = newsroom.story({"en": "Public"})["en"]
    ArticlePage.objects.filter(pk=en.pk).update(
        embargo_until=timezone.now() + timedelta(hours=1)
    )
    other = newsroom.story({"ru": "Другая"})["ru"]
    ArticlePage.objects.filter(pk=other.pk).update(translation_key=en.translation_key)
    data = get_json(client, f"{ARTICLES}/{other.pk}")
    assert data["translations"] == []
    get_json(client, f"{ARTICLES}/{en.pk}", 404)


def test_body_and_translations(client: Client, newsroom: Newsroom) -> None:
    story = newsroom.story({"en": "Story", "ru": "История"})
    en = story["en"]
    en.body = [{"type": "paragraph", "value": "<p>The <b>body</b>.</p>"}]
    publish(en)
    PageViewCount.objects.create(page=en, views=42)
    response = client.get(f"{ARTICLES}/{en.pk}")
    data = response.json()
    assert data["body_html"] == "<p>The <b>body</b>.</p>"
    assert data["views"] == 42
    assert data["translations"] == [
        {"language": "ru", "id": story["ru"].pk, "url": story["ru"].get_full_url()}
    ]
    assert data["lead_image"]["url"].endswith(".webp")
    assert "public" in response["Cache-Control"]
    assert response["Last-Modified"]


def test_unknown_id_is_a_json_404(client: Client, newsroom: Newsroom) -> None:
    assert get_json(client, f"{ARTICLES}/999999", 404) == {
        "status": 404,
        "code": "not_found",
        "message": "No public article has this id.",
        "details": [],
    }
    assert get_json(client, "/api/v1/nothing-here", 404)["code"] == "not_found"


def test_latin_articles_come_in_latin_script(
    client: Client, newsroom: Newsroom
) -> None:
    kk = newsroom.story({"kk": "Қазақстан жаңалықтары"})["kk"]
    kk.body = [{"type": "paragraph", "value": "<p>Бүгін Астанада.</p>"}]
    kk.tags.add("Экономика")
    publish(kk)
    LatinSpelling.objects.create(cyrillic="Астанада", latin="ASTANADA")
    data = get_json(client, ARTICLES, language="kk-latn")
    item = data["results"][0]
    assert item["headline"] == "Qazaqstan jañalyqtary"
    assert item["language"] == "kk-latn"
    assert "/kk-latn/" in item["url"]
    assert item["tags"] == [{"slug": "ekonomika", "name": "Ekonomika"}]
    assert item["translations"][0]["language"] == "kk"
    detail = get_json(client, f"{ARTICLES}/{item['id']}")
    assert detail["body_html"] == "<p>Bügın ASTANADA.</p>"
    cyrillic = get_json(client, f"{ARTICLES}/{kk.pk}")
    assert cyrillic["headline"] == "Қазақстан жаңалықтары"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_in_json(
    client: Client, newsroom: Newsroom, method: str
) -> None:
    response = getattr(client, method)(ARTICLES)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["code"] == "method_not_allowed"


def test_head_is_get_without_body(client: Client, newsroom: Newsroom) -> None:
    response = client.head("/api/v1/sections?language=en")
    assert response.status_code == 200
    assert response.content == b""


def test_a_server_error_is_json_and_not_cached(rf: RequestFactory) -> None:
    response = api.on_exception(rf.get(ARTICLES), RuntimeError("boom"))
    assert response.status_code == 500
    assert response["Cache-Control"] == "no-store"
    assert b'"code": "server_error"' in response.content


def test_sections_per_language(client: Client, newsroom: Newsroom) -> None:
    data = get_json(client, "/api/v1/sections", language="kk-latn")
    assert [(s["slug"], s["title"]) for s in data] == [("news", "News kk")]
    assert data[0]["url"] == "http://localhost/kk-latn/news/"
    assert get_json(client, "/api/v1/sections", 422)["code"] == "invalid"


def test_tags_count_public_articles(client: Client, newsroom: Newsroom) -> None:
    story = newsroom.story({"kk": "Бір", "en": "One"})
    for page in story.values():
        page.tags.add("Саясат")
        publish(page)
    data = get_json(client, "/api/v1/tags", language="kk-latn")
    assert data == [{"slug": "saiasat", "name": "Saiasat", "article_count": 1}]
    assert ArticleTag.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rates_of_the_newest_day(client: Client) -> None:
    """Through the ticker's cache, which storing rates clears on commit."""
    assert get_json(client, "/api/v1/rates", 404)["code"] == "not_found"
    rates_store(rows=[RateRow("USD", date(2026, 11, 29), Decimal("498.51"), 1,
                              Decimal("-1.20"), "DOWN")])  # fmt: skip
    data = get_json(client, "/api/v1/rates")
    assert data["on_date"] == "2026-11-29"
    assert data["rates"] == [
        {"currency": "USD", "quant": 1, "value": "498.5100",
         "per_unit": "498.5100", "change": "-1.2000", "index": "DOWN"}
    ]  # fmt: skip


def test_most_read_per_edition(client: Client, newsroom: Newsroom) -> None:
    kk = newsroom.story({"kk": "Оқылған"})["kk"]
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyPageViews.objects.create(page=kk, language="kk", hour=hour, views=7)
    data = get_json(client, "/api/v1/most-read", language="kk-latn")
    assert data == [
        {"id": latin_of(kk).pk, "headline": "Oqylğan",
         "url": latin_of(kk).get_full_url(), "views": 7}
    ]  # fmt: skip
    assert get_json(client, "/api/v1/most-read", language="en") == []
