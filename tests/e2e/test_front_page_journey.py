"""The front page in a real browser: the chief editor chooses the English edition's
main story in the home page's editor and publishes; readers of that edition see it
lead, the other editions keep their newest story."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.processes import shell
from tests.e2e.test_newsroom_journey import PASSWORD, sign_in


@pytest.fixture(scope="module")
def chief(e2e_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The demo's chief editor with a known password; the English home's id and its
    oldest story (not the one that leads by date). The choice is undone after, so
    the journeys that follow see the demo's front page."""
    found = shell(e2e_env, (
        "from django.contrib.auth import get_user_model\n"
        "from wagtail.users.models import UserProfile\n"
        "from aqparat.news.models import ArticlePage, HomePage\n"
        "user = get_user_model().objects.get(username='chief')\n"
        f"user.set_password({PASSWORD!r}); user.save()\n"
        "profile = UserProfile.get_for_user(user)\n"
        "profile.preferred_language = 'en'; profile.save()\n"
        "home = HomePage.objects.get(locale__language_code='en')\n"
        "oldest = (ArticlePage.objects.live().descendant_of(home)\n"
        "          .order_by('first_published_at').first())\n"
        "print(home.pk, oldest.title, sep='|')"
    ))  # fmt: skip
    home_id, title = found.split("|", 1)
    yield {"home": home_id, "title": title}
    shell(e2e_env, (
        "from aqparat.news.models import HomePage\n"
        f"home = HomePage.objects.get(pk={home_id})\n"
        "home.front_page_stories = []\n"
        "home.save_revision().publish()"
    ))  # fmt: skip


def lead_headline(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        html = response.read().decode()
    match = re.search(
        r'class="home-lead".*?class="card__title"><a[^>]*>(.*?)</a>', html, re.S
    )
    assert match is not None, "no lead story on " + url
    return html_unescape(match.group(1).strip())


def test_the_chief_editor_chooses_the_main_story_of_one_edition(
    browser: Any, server_url: str, chief: dict[str, str], screenshots: Path
) -> None:
    english, russian = server_url + "/en/", server_url + "/ru/"
    russian_lead = lead_headline(russian)
    assert lead_headline(english) != chief["title"]

    editor = sign_in(browser, server_url, "chief")
    editor.goto(f"{server_url}/admin/pages/{chief['home']}/edit/")
    editor.get_by_role("button", name=re.compile("Add chosen story", re.I)).click()
    editor.locator("[data-chooser-action-choose]").first.click()
    modal = editor.locator(".modal-content")
    modal.locator("input[name=q]").fill(chief["title"])
    modal.get_by_role("link", name=chief["title"]).first.click()
    modal.wait_for(state="hidden")
    editor.screenshot(path=screenshots / "front-page-chosen.png")
    editor.locator(".footer__container [data-w-dropdown-target='toggle']").click()
    with editor.expect_navigation():
        editor.locator("button[name='action-publish']").click()

    assert lead_headline(english) == chief["title"]
    assert lead_headline(russian) == russian_lead
