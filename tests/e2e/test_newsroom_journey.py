"""The newsroom in a real browser: a journalist writes and submits a story, the desk
editor schedules and approves it, and huey's periodic task (a real consumer) puts it
live at its Almaty time, with its photo credit."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.processes import consumer, shell, stop

PASSWORD = "e2e-newsroom-passphrase"  # noqa: S105 - set on the test's own database
HEADLINE = "Shymkent opens a solar plant on its southern edge"
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture(scope="module")
def staff(e2e_env: dict[str, str], server_url: str) -> dict[str, str]:
    """The demo's journalist and News-desk editor, with a known password; and the
    English News section's id."""
    return {
        "section": shell(e2e_env, (
            "from django.contrib.auth import get_user_model\n"
            "from wagtail.users.models import UserProfile\n"
            "from aqparat.news.models import SectionPage\n"
            "for user in get_user_model().objects.filter(\n"
            "        username__in=['journalist', 'editor']):\n"
            f"    user.set_password({PASSWORD!r}); user.save()\n"
            "    profile = UserProfile.get_for_user(user)\n"
            "    profile.preferred_language = 'en'; profile.save()\n"
            "print(SectionPage.objects.get(slug='news', locale__language_code='en').pk)"
        )),
    }  # fmt: skip


@pytest.fixture
def huey_consumer(e2e_env: dict[str, str]) -> Iterator[None]:
    process = consumer(e2e_env)
    yield
    stop(process)


def sign_in(browser: Any, server_url: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server_url + "/admin/")
    return page


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_journalist_writes_editor_schedules_and_it_goes_live_on_time(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],
    huey_consumer: None, screenshots: Path,
) -> None:  # fmt: skip
    # The journalist writes the story with a photo from the library and submits it.
    journalist = sign_in(browser, server_url, "journalist")
    journalist.goto(
        f"{server_url}/admin/pages/add/news/articlepage/{staff['section']}/"
    )
    # Typed, as a person would: the slug follows the headline as it is typed.
    journalist.locator("#id_title").press_sequentially(HEADLINE)
    journalist.fill("#id_lead", "The plant will power about twelve thousand homes.")
    journalist.locator("[data-chooser-action-choose]").first.click()
    journalist.locator(".modal-content").get_by_text("[en]").first.click()
    journalist.locator(".modal-content").wait_for(state="hidden")
    journalist.locator(
        "[data-streamfield-action='ADD'], .c-sf-add-button"
    ).first.click()
    journalist.get_by_role("option", name="Paragraph").first.click()
    journalist.locator(".public-DraftEditor-content").first.click()
    journalist.keyboard.type("Construction took fourteen months.")
    journalist.locator("#id_lead").click()  # leave the editor, as a person would
    # The rich text editor writes its content to the form a moment after typing.
    journalist.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')]"
        ".some(i => i.value.includes('fourteen months'))"
    )
    assert journalist.locator("button[name='action-publish']").count() == 0
    journalist.locator(".footer__container [data-w-dropdown-target='toggle']").click()
    journalist.locator("button[name='action-submit']").click()
    # Back to the section's page list, with the story in the desk's review.
    journalist.wait_for_url(f"{server_url}/admin/pages/{staff['section']}/")
    journalist.screenshot(path=screenshots / "newsroom-submitted.png")
    article_id = shell(e2e_env, (
        "from aqparat.news.models import ArticlePage\n"
        "from wagtail.models import WorkflowState\n"
        f"page = ArticlePage.objects.get(title={HEADLINE!r})\n"
        "state = WorkflowState.objects.get(object_id=str(page.pk))\n"
        "assert state.workflow.name == 'News desk review', state.workflow.name\n"
        "print(page.pk)"
    ))  # fmt: skip

    # The desk editor sets the go-live time (Almaty) and approves.
    go_live = datetime.now(ALMATY).replace(second=0, microsecond=0) + timedelta(
        minutes=2
    )
    editor = sign_in(browser, server_url, "editor")
    editor.goto(f"{server_url}/admin/pages/{article_id}/edit/")
    editor.locator("[data-side-panel-toggle='status']").click()
    editor.get_by_role("button", name="Set schedule").click()
    editor.fill("#id_go_live_at", go_live.strftime("%Y-%m-%d %H:%M"))
    editor.screenshot(path=screenshots / "newsroom-schedule.png")
    # By keyboard: the open date picker covers the button for a pointer.
    editor.get_by_role("button", name="Save schedule").focus()
    editor.keyboard.press("Enter")
    editor.wait_for_load_state()
    editor.locator(".footer__container [data-w-dropdown-target='toggle']").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Approve and Publish").click()
    editor.screenshot(path=screenshots / "newsroom-approved.png")
    public_url = server_url + shell(e2e_env, (
        "from aqparat.news.models import ArticlePage\n"
        f"page = ArticlePage.objects.get(pk={article_id})\n"
        "print(page.get_url_parts()[2])"
    ))  # fmt: skip
    assert status(public_url) == 404  # approved, scheduled, not yet public

    # huey's periodic task publishes it at the minute.
    deadline = go_live.timestamp() + 150
    while status(public_url) != 200:
        assert time.time() < deadline, "not published by its go-live time"
        time.sleep(3)
    assert time.time() >= go_live.timestamp()
    reader = browser.new_page()
    reader.goto(public_url)
    assert reader.locator("h1").inner_text() == HEADLINE
    assert re.fullmatch(r"Photo: \S.*", reader.locator(".article__credit").inner_text())
    reader.screenshot(path=screenshots / "newsroom-live.png", full_page=True)
