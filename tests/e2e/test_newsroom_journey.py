"""The newsroom in a real browser, the whole desk loop: a journalist writes and
submits a story with a photo, the desk editor schedules and approves it, huey's
periodic task (a real consumer) puts it live at its Almaty time with its photo
credit and posts it to the edition's Telegram channel, and the editor's correction
reaches that post. Each role's clicks are counted and printed in the run's summary."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from aqparat.telegram.fake_server import FakeTelegram
from tests.e2e.processes import consumer, shell, stop

PASSWORD = "e2e-newsroom-passphrase"  # noqa: S105 - set on the test's own database
HEADLINE = "Shymkent opens a solar plant on its southern edge"
NOTE = "An earlier version gave the plant's output as twenty thousand homes."
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


class Clicks(Counter[str]):
    """What each role clicks (or presses to act), for the desk loop's figures."""

    def __call__(self, role: str, target: Any) -> None:
        self[role] += 1
        target.click()


def channel_text(telegram: FakeTelegram, chat: str) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in telegram.messages(chat)]


REFERENCE_HEADLINE = "Almaty and Busan mark first year of friendship and cooperation"


def test_a_story_with_a_taken_headline_saves_as_a_draft(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],
) -> None:  # fmt: skip
    """The journalist types the headline of a story already in the section and
    saves: a draft at the next free address, the text kept, no error page."""
    journalist = sign_in(browser, server_url, "journalist")
    journalist.goto(
        f"{server_url}/admin/pages/add/news/articlepage/{staff['section']}/"
    )
    journalist.locator("#id_title").press_sequentially(REFERENCE_HEADLINE)
    journalist.fill("#id_lead", "A second story under the same headline.")
    with journalist.expect_navigation():
        journalist.get_by_role("button", name="Save draft").first.click()
    assert "/edit/" in journalist.url, journalist.url
    assert "Something went wrong" not in journalist.content()
    assert journalist.locator("#id_lead").input_value() == (
        "A second story under the same headline."
    )
    slugs = shell(e2e_env, (
        "from aqparat.news.models import ArticlePage\n"
        f"pages = ArticlePage.objects.filter(title={REFERENCE_HEADLINE!r},\n"
        "    locale__language_code='en')\n"
        "print(' '.join(sorted(p.slug for p in pages)))"
    ))  # fmt: skip
    base = "almaty-and-busan-mark-first-year-of-friendship-and-cooperation"
    assert slugs == f"{base} {base}-2", slugs


def test_journalist_writes_editor_schedules_and_it_goes_live_on_time(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],
    huey_consumer: None, screenshots: Path, telegram_fake: FakeTelegram,
    measured: dict[str, str],
) -> None:  # fmt: skip
    click = Clicks()
    # The journalist writes the story with a photo from the library and submits it.
    journalist = sign_in(browser, server_url, "journalist")
    journalist.goto(
        f"{server_url}/admin/pages/add/news/articlepage/{staff['section']}/"
    )
    # Typed, as a person would: the slug follows the headline as it is typed.
    journalist.locator("#id_title").press_sequentially(HEADLINE)
    journalist.fill("#id_lead", "The plant will power about twelve thousand homes.")
    click("journalist", journalist.locator("[data-chooser-action-choose]").first)
    click("journalist", journalist.locator(".modal-content").get_by_text("[en]").first)
    journalist.locator(".modal-content").wait_for(state="hidden")
    click("journalist", journalist.locator(
        "[data-streamfield-action='ADD'], .c-sf-add-button"
    ).first)  # fmt: skip
    click("journalist", journalist.get_by_role("option", name="Paragraph").first)
    click("journalist", journalist.locator(".public-DraftEditor-content").first)
    journalist.keyboard.type("Construction took fourteen months.")
    click("journalist", journalist.locator("#id_lead"))  # leave the editor
    # The rich text editor writes its content to the form a moment after typing.
    journalist.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')]"
        ".some(i => i.value.includes('fourteen months'))"
    )
    assert journalist.locator("button[name='action-publish']").count() == 0
    menu = ".footer__container [data-w-dropdown-target='toggle']"
    click("journalist", journalist.locator(menu))
    click("journalist", journalist.locator("button[name='action-submit']"))
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
    click("editor", editor.locator("[data-side-panel-toggle='status']"))
    click("editor", editor.get_by_role("button", name="Set schedule"))
    editor.fill("#id_go_live_at", go_live.strftime("%Y-%m-%d %H:%M"))
    editor.screenshot(path=screenshots / "newsroom-schedule.png")
    # By keyboard: the open date picker covers the button for a pointer.
    editor.get_by_role("button", name="Save schedule").focus()
    editor.keyboard.press("Enter")
    click["editor"] += 1  # the key acts as the button's click
    editor.wait_for_load_state()
    click("editor", editor.locator(menu))
    with editor.expect_navigation():
        click("editor", editor.get_by_role("button", name="Approve and Publish"))
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

    # It went out once to the English channel.
    deadline = time.time() + 60
    while not any(
        HEADLINE in text for text in channel_text(telegram_fake, "@aqparat_en")
    ):
        assert time.time() < deadline, "the story never reached the channel"
        time.sleep(1)

    # The desk editor corrects the live story and has the channel's post updated.
    editor.goto(f"{server_url}/admin/pages/{article_id}/edit/")
    add_note = editor.get_by_role("button", name=re.compile("Add correction", re.I))
    click("editor", add_note)
    editor.locator("textarea[name='corrections-0-text']").fill(NOTE)
    click("editor", editor.locator("#id_telegram_update_post"))
    click("editor", editor.locator(menu))
    with editor.expect_navigation():
        click("editor", editor.locator("button[name='action-publish']"))
    reader.goto(public_url + "?corrected")
    assert NOTE in reader.locator("body").inner_text()
    deadline = time.time() + 60
    while True:
        ours = [t for t in channel_text(telegram_fake, "@aqparat_en") if HEADLINE in t]
        post = ours[0] if ours else ""
        if NOTE in post:
            break
        assert time.time() < deadline, f"the post was not updated: {post!r}"
        time.sleep(1)
    assert sum(HEADLINE in text for text in channel_text(
        telegram_fake, "@aqparat_en")) == 1  # edited, never posted again  # fmt: skip
    measured["desk loop clicks"] = (
        f"journalist {click['journalist']}, editor {click['editor']} "
        "(write with a photo, submit; schedule, approve; correct, update Telegram)"
    )
