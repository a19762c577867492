"""Autosave in a real browser: what the editor types while an autosave is on its
way to the server is saved by the next one, and the header says "Saved" only once
it is. (Wagtail 8.0 took the form as it stood when the answer came back as saved:
a sentence typed during a slow save was never sent, and nothing warned on leaving.)"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e.processes import shell
from tests.e2e.test_newsroom_journey import sign_in, staff  # noqa: F401 - fixture

HEADLINE = "Autosave keeps pace with the editor"


def stored_lead(e2e_env: dict[str, str]) -> str:
    return shell(e2e_env, (
        "from aqparat.news.models import ArticlePage\n"
        f"page = ArticlePage.objects.get(title={HEADLINE!r})\n"
        "print(page.get_latest_revision_as_object().lead)"
    ))  # fmt: skip


def draft_open(browser: Any, server_url: str, section: str, title: str) -> Any:
    """The desk editor writes `title` with the lead "Typed first.", saves it as a
    draft, and has its edit form open, its change check started."""
    editor = sign_in(browser, server_url, "editor")
    editor.goto(f"{server_url}/admin/pages/add/news/articlepage/{section}/")
    editor.locator("#id_title").press_sequentially(title)
    editor.fill("#id_lead", "Typed first.")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Save draft").first.click()
    editor.wait_for_timeout(2500)  # Wagtail's change check starts 2 s after loading
    return editor


def test_what_is_typed_during_a_slow_autosave_is_saved_next(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],  # noqa: F811
) -> None:  # fmt: skip
    editor = draft_open(browser, server_url, staff["section"], HEADLINE)
    edit_url = editor.url
    held: list[Any] = []  # the first autosave, kept waiting as on a slow network

    def hold_first(route: Any) -> None:
        if route.request.method == "POST" and not held:
            held.append(route)
        else:
            route.continue_()

    editor.route(edit_url, hold_first)
    editor.locator("#id_lead").press("End")
    editor.locator("#id_lead").press_sequentially(" Typed next.")
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        editor.wait_for_timeout(100)
    assert held, "no autosave was sent"
    editor.locator("#id_lead").press_sequentially(" Typed while it was saving.")
    editor.wait_for_timeout(300)
    held[0].continue_()
    full = "Typed first. Typed next. Typed while it was saving."
    deadline = time.monotonic() + 15
    while stored_lead(e2e_env) != full and time.monotonic() < deadline:
        editor.wait_for_timeout(500)
    assert stored_lead(e2e_env) == full
    indicator = editor.locator("#w-autosave-indicator")
    editor.wait_for_function(
        "() => document.querySelector('#w-autosave-indicator')"
        ".getAttribute('data-w-autosave-state-value') === 'saved'"
    )
    assert "Saved" in indicator.inner_text()


def test_a_go_live_time_cancelled_in_the_dialog_is_not_autosaved(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],  # noqa: F811
) -> None:  # fmt: skip
    """The editor types a time in Wagtail's schedule dialog and cancels: the next
    autosave keeps the text typed after, never that time."""
    title = "A schedule the editor thought better of"
    editor = draft_open(browser, server_url, staff["section"], title)
    editor.locator("[data-side-panel-toggle='status']").click()
    editor.get_by_role("button", name="Set schedule").click()
    when = datetime.now(ZoneInfo("Asia/Almaty")) + timedelta(days=2)
    editor.fill("#id_go_live_at", when.strftime("%Y-%m-%d %H:%M"))
    editor.keyboard.press("Escape")  # the date picker
    editor.keyboard.press("Escape")  # the dialog: cancelled
    editor.locator("#id_lead").press("End")
    editor.locator("#id_lead").press_sequentially(" Typed after.")
    query = (
        "from aqparat.news.models import ArticlePage\n"
        f"page = ArticlePage.objects.get(title={title!r})\n"
        "latest = page.get_latest_revision_as_object()\n"
        "print(latest.lead, '|', latest.go_live_at)"
    )
    deadline = time.monotonic() + 15
    while not shell(e2e_env, query).startswith("Typed first. Typed after. |"):
        assert time.monotonic() < deadline, shell(e2e_env, query)
        editor.wait_for_timeout(500)
    assert shell(e2e_env, query) == "Typed first. Typed after. | None"
