"""The demo newsroom: our own sample content, loaded idempotently.

Every step looks its object up by a stable key (slug, title, currency and date) and
creates only what is missing, so `load_demo_newsroom` can run on every `make run`.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Locale, Page, Site

from aqparat.analytics.models import DailyPageViews, HourlyPageViews
from aqparat.analytics.services import page_views_set
from aqparat.core.address import site_address
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
from aqparat.news.services import translation_source_record
from aqparat.newsroom import roles
from aqparat.newsroom.services import desk_assign
from aqparat.telegram.models import PostStyle, TelegramChannel
from aqparat.translit.slugs import slug_for

FIXTURE = Path(__file__).parent / "fixtures" / "articles.json"
ALMATY = ZoneInfo("Asia/Almaty")
ADMIN_USERNAME = "admin"
DEMO_JOURNALIST, DEMO_EDITOR, DEMO_CHIEF = "journalist", "editor", "chief"
DEMO_JOURNALIST_BYLINE = "aigerim-nurlanova"  # the demo journalist's Author
DEMO_NAMESPACE = uuid.UUID("6f1d2c6e-3b1a-4f43-9a53-1d0c8e0a2b51")


LANGUAGES = ("kk", "ru", "en")  # kk first: it is the site root and the default edition
TELEGRAM_CHANNELS = {"kk": "aqparat_kz", "ru": "aqparat_ru", "en": "aqparat_en"}


@dataclass
class DemoResult:
    articles_created: int
    admin_password: str | None


@dataclass
class DemoContent:
    """The English fixture and its Kazakh and Russian editions, by English slug."""

    base: dict[str, Any]
    editions: dict[str, dict[str, Any]]

    def article(self, language: str, item: dict[str, Any]) -> dict[str, Any] | None:
        """One article as written in `language` (None where that edition lacks it)."""
        if language == "en":
            return item
        text = self.editions[language]["articles"].get(item["slug"])
        if text is None:
            return None
        image = {**item["image"], **text.get("image", {})}
        return {**item, **text, "image": image, "slug": None}

    def only_in(self, language: str) -> list[dict[str, Any]]:
        return list(self.editions.get(language, {}).get("only_in_this_language", []))


def demo_content() -> DemoContent:
    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    editions: dict[str, dict[str, Any]] = {}
    for language in ("kk", "ru"):
        merged: dict[str, Any] = {"articles": {}, "only_in_this_language": []}
        for part in sorted(FIXTURE.parent.glob(f"articles.{language}.*.json")):
            data = json.loads(part.read_text(encoding="utf-8"))
            for key in ("sections", "authors", "sources"):
                merged[key] = data[key]
            merged["articles"].update(data["articles"])
            merged["only_in_this_language"] += data.get("only_in_this_language", [])
        editions[language] = merged
    return DemoContent(base=base, editions=editions)


def demo_newsroom_load() -> DemoResult:
    """Create whatever part of the demo newsroom is missing; return what was made."""
    content = demo_content()
    created = 0
    with transaction.atomic():
        homes = _homes_ensure()
        _site_settings_ensure(site=Site.objects.get(root_page=homes["kk"]))
        for language, home in homes.items():
            created += _edition_ensure(content=content, language=language, home=home)
        _recent_views_ensure()
        _desks_ensure(home=homes["en"])
        password = _admin_ensure()
        if password:
            _staff_ensure(password=password)
    return DemoResult(articles_created=created, admin_password=password)


def _homes_ensure() -> dict[str, HomePage]:
    homes: dict[str, HomePage] = {}
    for language in LANGUAGES:
        locale, _ = Locale.objects.get_or_create(language_code=language)
        home = HomePage.objects.filter(locale=locale, alias_of=None).first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(title="Aqparat", slug=f"home-{language}", locale=locale)
            if "kk" in homes:
                home.translation_key = homes["kk"].translation_key
            root.add_child(instance=home)
            home.save_revision().publish()
        homes[language] = home
    # At the address readers use (AQPARAT_BASE_URL; `make run` sets it from its host
    # and port), so the feeds' and sitemaps' links lead back to this server.
    where = site_address(settings.AQPARAT_BASE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": homes["kk"], "hostname": where.hostname,
                  "port": where.port, "site_name": "Aqparat"},
    )  # fmt: skip
    # Wagtail's first migration leaves a plain "Welcome" page; our homes replace it.
    plain_page = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, content_type=plain_page):
        page.delete()
    return homes


def _edition_ensure(*, content: DemoContent, language: str, home: HomePage) -> int:
    base = content.base
    names = content.editions.get(language, {})
    sections = {
        s["slug"]: _section_ensure(
            home=home,
            slug=s["slug"],
            title=names.get("sections", {}).get(s["slug"], s["title"]),
        )
        for s in base["sections"]
    }
    _tag_index_ensure(home=home, language=language)
    authors = {
        a["slug"]: _author_ensure(
            language=language, **{**a, **names.get("authors", {}).get(a["slug"], {})}
        )
        for a in base["authors"]
    }
    sources = {
        s["slug"]: _source_ensure(
            language=language, **{**s, **names.get("sources", {}).get(s["slug"], {})}
        )
        for s in base["sources"]
    }
    created = 0
    for item in base["articles"]:
        text = content.article(language, item)
        if text is not None:
            created += _article_ensure(
                item=text, language=language, key=item["slug"],
                sections=sections, authors=authors, sources=sources,
            )  # fmt: skip
    for item in content.only_in(language):
        created += _article_ensure(
            item={**item, "slug": None}, language=language, key=item["key"],
            sections=sections, authors=authors, sources=sources,
        )  # fmt: skip
    return created


def _site_settings_ensure(*, site: Site) -> None:
    site_settings, _ = SiteSettings.objects.get_or_create(
        site=site,
        defaults={
            "outlet_name": "Aqparat",
            "telegram_channel_url": "https://t.me/aqparat_kz",
            "telegram_channel_name": "@aqparat_kz",
        },
    )
    # One channel per edition, as `make run`'s fake Bot API knows them. The demo's
    # own stories were published before the channels existed, so only what an
    # editor publishes from now on is posted.
    if not TelegramChannel.objects.filter(site_settings=site_settings).exists():
        for language, style in (("kk", PostStyle.PHOTO), ("ru", PostStyle.LINK),
                                ("en", PostStyle.PHOTO)):  # fmt: skip
            TelegramChannel.objects.create(
                site_settings=site_settings, language=language,
                chat=f"@aqparat_{language}", post_style=style,
            )  # fmt: skip


def _section_ensure(*, home: HomePage, slug: str, title: str) -> SectionPage:
    section = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if section is None:
        section = SectionPage(title=title, slug=slug, show_in_menus=True)
        _share_translation_key(section, key=f"section:{slug}")
        home.add_child(instance=section)
        section.save_revision().publish()
    return section


def _tag_index_ensure(*, home: HomePage, language: str) -> None:
    if not TagIndexPage.objects.child_of(home).exists():
        title = {"kk": "Тегтер", "ru": "Теги", "en": "Tags"}[language]
        tags = TagIndexPage(title=title, slug="tags")
        _share_translation_key(tags, key="tags")
        home.add_child(instance=tags)
        tags.save_revision().publish()


def _share_translation_key(obj: Any, *, key: str) -> None:
    """The same story in every language shares one translation key; the demo derives
    it from a stable name so each edition can be created on its own."""
    obj.translation_key = uuid.uuid5(DEMO_NAMESPACE, key)


def _author_ensure(*, language: str, slug: str, name: str, role: str) -> Author:
    locale = Locale.objects.get(language_code=language)
    author = Author.objects.filter(slug=slug, locale=locale).first()
    if author is None:
        author = Author(slug=slug, name=name, role=role, locale=locale)
        _share_translation_key(author, key=f"author:{slug}")
        author.save()
    return author


def _source_ensure(
    *, language: str, slug: str, name: str, short_name: str, url: str = ""
) -> Source:
    locale = Locale.objects.get(language_code=language)
    source = Source.objects.filter(slug=slug, locale=locale).first()
    if source is None:
        source = Source(
            slug=slug, name=name, short_name=short_name, url=url, locale=locale
        )
        _share_translation_key(source, key=f"source:{slug}")
        source.save()
    return source


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
    language: str,
    key: str,
    sections: dict[str, SectionPage],
    authors: dict[str, Author],
    sources: dict[str, Source],
) -> int:
    section = sections[item["section"]]
    slug = item["slug"] or slug_for(item["headline"], language_code=language)
    if ArticlePage.objects.child_of(section).filter(slug=slug).exists():
        return 0
    published = _publication_time(item)
    article = ArticlePage(
        title=item["headline"],
        slug=slug,
        lead=item["lead"],
        body=_body_blocks(item["body"]),
        breaking=item.get("breaking", False),
        lead_image=_image_ensure(slug=key, language=language, meta=item["image"]),
        first_published_at=published,
    )
    _share_translation_key(article, key=f"article:{key}")
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
    views = (
        item.get("views", _demo_views(key))
        if language == "en"
        else _demo_views(f"{language}:{key}")
    )
    page_views_set(page_id=article.pk, views=views)
    _translation_link(article=article, key=f"article:{key}", language=language)
    return 1


def _translation_link(*, article: ArticlePage, key: str, language: str) -> None:
    """Russian and English stories record the Kazakh story they were written from."""
    if language == "kk":
        return
    source = ArticlePage.objects.filter(
        translation_key=uuid.uuid5(DEMO_NAMESPACE, key),
        locale__language_code="kk",
        alias_of=None,
    ).first()
    if source is not None:
        translation_source_record(translation=article, source=source)


def _recent_views_ensure() -> None:
    """Recent stories get part of their stored total as hourly and daily counts, so
    the most-read lists and the editors' charts have something to show. Once only:
    from then on real beacons count."""
    if HourlyPageViews.objects.exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hourly: list[HourlyPageViews] = []
    daily: dict[tuple[int, date, str], int] = {}
    for article in ArticlePage.objects.filter(
        alias_of__isnull=True, first_published_at__gt=now - timedelta(days=7)
    ).select_related("locale", "view_count"):
        total = getattr(getattr(article, "view_count", None), "views", 0) or 0
        published = article.first_published_at.replace(
            minute=0, second=0, microsecond=0
        )
        hours = max(1, int((now - published).total_seconds() // 3600))
        seed = int(hashlib.sha256(article.slug.encode()).hexdigest()[:4], 16)
        budget = total * (40 + seed % 40) // 100  # 40-80 % of it in the last days
        weights = [1 / (1 + h / 6) for h in range(hours)]  # most in the first hours
        scale = budget / sum(weights)
        for h, weight in enumerate(weights):
            views = int(weight * scale)
            if not views:
                continue
            hour = published + timedelta(hours=h)
            language = article.locale.language_code
            hourly.append(HourlyPageViews(page=article, language=language,
                                          hour=hour, views=views))  # fmt: skip
            key = (article.pk, timezone.localdate(hour, timezone=ALMATY), language)
            daily[key] = daily.get(key, 0) + views
    HourlyPageViews.objects.bulk_create(hourly)
    DailyPageViews.objects.bulk_create(
        DailyPageViews(page_id=pk, day=day, language=language, views=views)
        for (pk, day, language), views in daily.items()
    )


def _demo_views(slug: str) -> int:
    return 40 + int(hashlib.sha256(slug.encode()).hexdigest()[:6], 16) % 4000


def _image_ensure(*, slug: str, language: str, meta: dict[str, str]) -> CustomImage:
    """A generated placeholder photo (no downloads): a seeded gradient with shapes,
    the same picture in every edition, with caption and alt text in its language."""
    title = f"{meta.get('title') or slug} [{language}]"
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    return CustomImage.objects.create(
        title=title,
        file=ImageFile(_generated_jpeg(seed=slug), name=f"{slug[:70]}-{language}.jpg"),
        credit=meta.get("credit", ""),
        **{
            f"caption_{language[:2]}": meta.get("caption", ""),
            f"alt_{language[:2]}": meta.get("alt", "")[:255],
        },
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


def _desks_ensure(*, home: HomePage) -> None:
    """One desk per section, over that section in every edition (not the Latin
    edition's copies, which follow the Kazakh pages)."""
    for section in SectionPage.objects.child_of(home):
        editions = SectionPage.objects.filter(
            translation_key=section.translation_key, alias_of=None
        )
        desk_assign(name=section.title, sections=list(editions))


def _staff_ensure(*, password: str) -> None:
    """A journalist, a News desk editor and a chief editor, to try the roles with;
    they share the administrator's one-time password."""
    user_model = get_user_model()
    desk = Group.objects.filter(name__startswith="Desk: News").first()
    staff = {
        DEMO_JOURNALIST: [roles.JOURNALISTS],
        DEMO_EDITOR: [roles.EDITORS],
        DEMO_CHIEF: [roles.CHIEF_EDITORS],
    }
    for username, group_names in staff.items():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=group_names))
        if username == DEMO_EDITOR and desk is not None:
            user.groups.add(desk)
        if username == DEMO_JOURNALIST:  # their new stories carry her byline
            Author.objects.filter(slug=DEMO_JOURNALIST_BYLINE).update(user=user)


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
