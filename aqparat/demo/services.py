"""The demo newsroom: our own sample content, loaded idempotently.

Every step looks its object up by a stable key (slug, title, currency and date) and
creates only what is missing, so `load_demo_newsroom` can run on every `make run`.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Locale, Page, Site

from aqparat.analytics.services import page_views_set
from aqparat.core.models import SiteSettings
from aqparat.images.models import CustomImage
from aqparat.news.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSourceAttribution,
    Author,
    HomePage,
    SectionPage,
    Source,
    TagIndexPage,
)
from aqparat.rates.services import RateRow, rates_store

FIXTURE = Path(__file__).parent / "fixtures" / "articles.json"
ALMATY = ZoneInfo("Asia/Almaty")
DEMO_RATES = (
    ("USD", Decimal("498.51"), Decimal("1.12"), "UP"),
    ("EUR", Decimal("522.84"), Decimal("-0.47"), "DOWN"),
    ("RUB", Decimal("4.81"), Decimal("0.00"), ""),
)
ADMIN_USERNAME = "admin"


@dataclass
class DemoResult:
    articles_created: int
    admin_password: str | None


def demo_newsroom_load(*, language_code: str = "en") -> DemoResult:
    """Create whatever part of the demo newsroom is missing; return what was made."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    with transaction.atomic():
        home = _home_ensure(language_code=language_code)
        _site_settings_ensure(site=Site.objects.get(root_page=home))
        sections = {
            s["slug"]: _section_ensure(home=home, **s) for s in data["sections"]
        }
        _tag_index_ensure(home=home)
        authors = {a["slug"]: _author_ensure(**a) for a in data["authors"]}
        sources = {s["slug"]: _source_ensure(**s) for s in data["sources"]}
        created = 0
        for item in data["articles"]:
            created += _article_ensure(
                item=item, sections=sections, authors=authors, sources=sources
            )
        _rates_ensure()
    return DemoResult(articles_created=created, admin_password=_admin_ensure())


def _home_ensure(*, language_code: str) -> HomePage:
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Aqparat", slug=f"home-{language_code}", locale=locale
            )
        )
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "root_page": home,
                "hostname": "localhost",
                "port": 80,
                "site_name": "Aqparat",
            },
        )
        # Wagtail's first migration leaves a plain "Welcome" page; our home replaces it.
        plain_page = ContentType.objects.get_for_model(Page)
        for page in Page.objects.filter(depth=2, content_type=plain_page):
            page.delete()
    return home


def _site_settings_ensure(*, site: Site) -> None:
    SiteSettings.objects.get_or_create(
        site=site,
        defaults={
            "outlet_name": "Aqparat",
            "telegram_channel_url": "https://t.me/aqparat_en",
            "telegram_channel_name": "@aqparat_en",
        },
    )


def _section_ensure(*, home: HomePage, slug: str, title: str) -> SectionPage:
    section = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if section is None:
        section = home.add_child(
            instance=SectionPage(title=title, slug=slug, show_in_menus=True)
        )
        section.save_revision().publish()
    return section


def _tag_index_ensure(*, home: HomePage) -> None:
    if not TagIndexPage.objects.child_of(home).exists():
        tags = home.add_child(instance=TagIndexPage(title="Tags", slug="tags"))
        tags.save_revision().publish()


def _author_ensure(*, slug: str, name: str, role: str) -> Author:
    return Author.objects.get_or_create(
        slug=slug, defaults={"name": name, "role": role}
    )[0]


def _source_ensure(*, slug: str, name: str, short_name: str, url: str) -> Source:
    return Source.objects.get_or_create(
        slug=slug, defaults={"name": name, "short_name": short_name, "url": url}
    )[0]


def _publication_time(item: dict[str, Any]) -> datetime:
    if "published_at_almaty" in item:
        naive = datetime.strptime(item["published_at_almaty"], "%Y-%m-%d %H:%M")  # noqa: DTZ007
        return naive.replace(tzinfo=ALMATY)
    today = timezone.localdate(timezone=ALMATY) - timedelta(days=item["days_ago"])
    hour, minute = (int(part) for part in item["time"].split(":"))
    moment = datetime(today.year, today.month, today.day, hour, minute, tzinfo=ALMATY)
    return min(moment, timezone.now() - timedelta(minutes=5 + item["days_ago"]))


def _body_blocks(body: list[Any]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for entry in body:
        if isinstance(entry, str):
            blocks.append({"type": "paragraph", "value": f"<p>{escape(entry)}</p>"})
        elif entry["type"] == "quote":
            blocks.append(
                {
                    "type": "quote",
                    "value": {
                        "text": entry["text"],
                        "attribution": entry.get("attribution", ""),
                    },
                }
            )
        elif entry["type"] == "facts":
            items = "".join(f"<li>{escape(fact)}</li>" for fact in entry["items"])
            blocks.append(
                {
                    "type": "fact_box",
                    "value": {"title": entry["title"], "body": f"<ul>{items}</ul>"},
                }
            )
    return blocks


def _article_ensure(
    *,
    item: dict[str, Any],
    sections: dict[str, SectionPage],
    authors: dict[str, Author],
    sources: dict[str, Source],
) -> int:
    section = sections[item["section"]]
    if ArticlePage.objects.child_of(section).filter(slug=item["slug"]).exists():
        return 0
    published = _publication_time(item)
    article = ArticlePage(
        title=item["headline"],
        slug=item["slug"],
        lead=item["lead"],
        body=_body_blocks(item["body"]),
        breaking=item.get("breaking", False),
        lead_image=_image_ensure(slug=item["slug"], meta=item["image"]),
        first_published_at=published,
    )
    article.article_authors = [
        ArticleAuthor(author=authors[s]) for s in item["authors"]
    ]
    if item.get("source"):
        article.source_attributions = [
            ArticleSourceAttribution(
                source=sources[item["source"]["slug"]],
                relation=item["source"]["relation"],
            )
        ]
    article.tags.add(*item["tags"])
    section.add_child(instance=article)
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published)
    page_views_set(
        page_id=article.pk, views=item.get("views", _demo_views(item["slug"]))
    )
    return 1


def _demo_views(slug: str) -> int:
    return 40 + int(hashlib.sha256(slug.encode()).hexdigest()[:6], 16) % 4000


def _image_ensure(*, slug: str, meta: dict[str, str]) -> CustomImage:
    """A generated placeholder photo (no downloads): a seeded gradient with shapes."""
    title = meta.get("title") or slug
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    return CustomImage.objects.create(
        title=title,
        file=ImageFile(_generated_jpeg(seed=slug), name=f"{slug[:80]}.jpg"),
        credit=meta.get("credit", ""),
        caption=meta.get("caption", ""),
        description=meta.get("alt", "")[:255],
        source="Aqparat demo",
    )


def _generated_jpeg(*, seed: str, size: tuple[int, int] = (1200, 675)) -> io.BytesIO:
    digest = hashlib.sha256(seed.encode()).digest()
    top, bottom = digest[0:3], digest[3:6]
    canvas = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(canvas)
    width, height = size
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(top[i] * (1 - mix) + bottom[i] * mix) for i in range(3)),
        )
    for i in range(6):
        x, y, r = digest[6 + i] * 5, digest[12 + i] * 3, 30 + digest[18 + i] // 2
        shade = tuple((channel + 90) % 256 for channel in digest[i : i + 3])
        draw.ellipse([x - r, y - r, x + r, y + r], fill=shade)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82)
    buffer.seek(0)
    return buffer


def _rates_ensure() -> None:
    on_date = timezone.localdate(timezone=ALMATY)
    rates_store(
        rows=[
            RateRow(
                currency=code,
                on_date=on_date,
                value=value,
                quant=1,
                change=change,
                index=index,
            )
            for code, value, change, index in DEMO_RATES
        ]
    )


def _admin_ensure() -> str | None:
    """Create the administrator once; its generated password is returned only then."""
    user_model = get_user_model()
    if user_model.objects.filter(username=ADMIN_USERNAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@example.com", password=password
    )
    return password
