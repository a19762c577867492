"""Factories for the news page tree. `newsroom_build()` makes a small edition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from aqparat.images.models import CustomImage
from aqparat.news.models import (
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    Source,
    TagIndexPage,
)


class CustomImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Photo {n}")
    credit = "MFA"
    caption_en = "Officials at the meeting."
    caption_ru = "Официальные лица на встрече."
    caption_kk = "Ресми тұлғалар кездесуде."
    alt_en = "Officials from two cities shake hands at a table."
    alt_ru = "Представители двух городов пожимают руки за столом."
    alt_kk = "Екі қаланың өкілдері үстел басында қол алысып тұр."

    class Meta:
        model = CustomImage


def _english() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


class AuthorFactory(factory.django.DjangoModelFactory[Author]):
    locale = factory.LazyFunction(_english)
    name = factory.Sequence(lambda n: f"Correspondent {n}")
    slug = factory.Sequence(lambda n: f"correspondent-{n}")
    role = "Correspondent"

    class Meta:
        model = Author


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    locale = factory.LazyFunction(_english)
    name = "Ministry of Foreign Affairs of the Republic of Kazakhstan"
    short_name = "MFA"
    slug = factory.Sequence(lambda n: f"source-{n}")
    url = "https://www.gov.kz/memleket/entities/mfa"

    class Meta:
        model = Source


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Aqparat"
    slug = "home-en"

    class Meta:
        model = HomePage


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    show_in_menus = True

    class Meta:
        model = SectionPage


class TagIndexPageFactory(wagtail_factories.PageFactory):
    title = "Tags"
    slug = "tags"

    class Meta:
        model = TagIndexPage


def _an_hour_ago() -> datetime:
    return timezone.now() - timedelta(hours=1)


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    lead = "A short standfirst that says what happened."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>The body of the story.</p>"}]
    )
    first_published_at = factory.LazyFunction(_an_hour_ago)
    last_published_at = factory.SelfAttribute("first_published_at")

    class Meta:
        model = ArticlePage


@dataclass
class Newsroom:
    home: HomePage
    section: SectionPage
    tags: TagIndexPage


def newsroom_build(
    *, section_title: str = "News", language_code: str = "en"
) -> Newsroom:
    """An edition home with one section and a tag index, served as the default site."""
    root = Page.get_first_root_node()
    plain_page = ContentType.objects.get_for_model(Page)
    locale = Locale.objects.get_or_create(language_code=language_code)[0]
    home = HomePageFactory(parent=root, locale=locale, slug=f"home-{language_code}")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "port": 80},
    )
    Page.objects.filter(depth=2, content_type=plain_page).delete()
    section = SectionPageFactory(
        parent=home, title=section_title, slug=section_title.lower()
    )
    tags = TagIndexPageFactory(parent=home)
    return Newsroom(home=home, section=section, tags=tags)


@dataclass
class Editions:
    homes: dict[str, HomePage]
    sections: dict[str, SectionPage]


def publish(page: Page) -> Page:
    """Publish through a revision, as the admin does, so every signal fires."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def editions_build(languages: tuple[str, ...] = ("kk", "ru", "en")) -> Editions:
    """Homes and a News section in each language, linked as translations, the Kazakh
    home serving as the site root; published, so the Latin edition follows."""
    root = Page.get_first_root_node()
    plain_page = ContentType.objects.get_for_model(Page)
    homes: dict[str, HomePage] = {}
    sections: dict[str, SectionPage] = {}
    first: HomePage | None = None
    for code in languages:
        locale = Locale.objects.get_or_create(language_code=code)[0]
        home = HomePage(title="Aqparat", slug=f"home-{code}", locale=locale)
        if first is not None:
            home.translation_key = first.translation_key
        root.add_child(instance=home)
        homes[code] = publish(home)
        first = first or home
        section = SectionPage(title=f"News {code}", slug="news", show_in_menus=True)
        if code != languages[0]:
            section.translation_key = sections[languages[0]].translation_key
        home.add_child(instance=section)
        sections[code] = publish(section)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "root_page": homes[languages[0]],
            "hostname": "localhost",
            "port": 80,
        },
    )
    Page.objects.filter(depth=2, content_type=plain_page).delete()
    return Editions(homes=homes, sections=sections)


def story_build(
    editions: Editions, titles: dict[str, str], *, lead: str = "Lead."
) -> dict[str, ArticlePage]:
    """One story in the given languages (a translation group), each published."""
    pages: dict[str, ArticlePage] = {}
    key = None
    for code, title in titles.items():
        article = ArticlePage(
            title=title, slug="", lead=lead, body=[], lead_image=CustomImageFactory()
        )
        if key is not None:
            article.translation_key = key
        editions.sections[code].add_child(instance=article)
        pages[code] = publish(article)
        key = article.translation_key
    return pages


def administrator_build(username: str = "editor") -> Any:
    """A superuser whose admin speaks English, the language the assertions read."""
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.com", "a-long-passphrase"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user
