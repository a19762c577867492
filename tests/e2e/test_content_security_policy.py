"""The Content-Security-Policy in a real browser: every public page, the API docs and
the admin carry one, meet no violation (conftest.py collects them for every journey)
and still work; on a public page, script that an attacker got into the markup does
not run."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.processes import shell
from tests.e2e.test_newsroom_journey import sign_in, staff  # noqa: F401 - fixture

REFERENCE_HEADLINE = "Almaty and Busan mark first year of friendship and cooperation"


def policy(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("content-security-policy", "")
    assert header, f"no Content-Security-Policy on {response.url}"
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def visit(page: Any, url: str) -> dict[str, list[str]]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    return policy(response)


def test_public_pages_and_the_api_docs_work_under_the_strict_policy(
    page: Any, server_url: str
) -> None:
    for path in ("/en/", "/en/news/", "/en/search/?q=Almaty", "/kk-latn/",
                 "/kk-latn/news/", "/ru/rates/", "/en/tags/south-korea/"):  # fmt: skip
        directives = visit(page, server_url + path)
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        # The stylesheet applied: the header's ticker is laid out as a row.
        header = page.locator(".site-header__top")
        assert header.evaluate("el => getComputedStyle(el).display") == "flex", path
    # An article, reached as a reader does; its view beacon goes out (connect-src).
    page.goto(server_url + "/en/tags/south-korea/")
    with page.expect_response(re.compile(r"/v/\?p=\d+")) as beacon:
        page.get_by_role("link", name=REFERENCE_HEADLINE).click()
    assert beacon.value.status == 204
    assert page.locator("h1").inner_text() == REFERENCE_HEADLINE
    assert page.locator(".article__photo img").evaluate("img => img.naturalWidth") > 0
    # The API docs: Swagger UI from our static files draws the operations.
    directives = visit(page, server_url + "/api/v1/docs")
    assert directives["script-src"] == ["'self'"]
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 5
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.locator(".swagger-ui .opblock-body").first.wait_for()


def test_script_slipped_into_a_public_page_does_not_run(
    page: Any, server_url: str, csp_violations: list[str]
) -> None:
    """What a story's text could smuggle past every filter: an inline script, an
    event handler, a `javascript:` link. Without the policy each of them runs."""
    visit(page, server_url + "/en/news/")
    ran = page.evaluate("""async () => {
        window.ran = [];
        const script = document.createElement("script");
        script.textContent = "window.ran.push('inline script')";
        document.body.append(script);
        const holder = document.createElement("div");
        holder.innerHTML = '<img src="/static/no-such.png"'
            + ' onerror="window.ran.push(\\'event handler\\')">';
        document.body.append(holder);
        const link = document.createElement("a");
        link.href = "javascript:window.ran.push('javascript: link')";
        document.body.append(link);
        link.click();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return window.ran;
    }""")
    assert ran == []
    page.context.close()
    # The browser said what it blocked, and the journeys' collector heard it.
    said = "\n".join(csp_violations)
    for blocked in ("Executing inline script", "Executing inline event handler",
                    "Running the JavaScript URL"):  # fmt: skip
        assert blocked in said, blocked
    assert "event: script-src-attr blocked inline" in said
    csp_violations.clear()  # provoked on purpose


def test_the_admin_works_under_its_policy(
    browser: Any, server_url: str, staff: dict[str, str], e2e_env: dict[str, str],  # noqa: F811
) -> None:  # fmt: skip
    editor = sign_in(browser, server_url, "editor")
    directives = visit(editor, server_url + "/admin/")
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    article = shell(e2e_env, (
        "from aqparat.news.models import ArticlePage\n"
        f"print(ArticlePage.objects.get(title={REFERENCE_HEADLINE!r},"
        " locale__language_code='en').pk)"
    ))  # fmt: skip
    directives = visit(editor, f"{server_url}/admin/pages/{article}/edit/")
    assert "'unsafe-inline'" in directives["style-src"]
    assert editor.locator("#id_title").input_value() == REFERENCE_HEADLINE
    # The rich text editor and the live preview, in a frame of our origin.
    editor.locator(".Draftail-Editor").first.wait_for()
    editor.locator("[data-side-panel-toggle='preview']").click()
    # (Wagtail loads each preview into a new frame and then drops the old one.)
    preview = editor.locator("iframe.w-preview__iframe").last.content_frame
    assert preview.locator("h1").inner_text(timeout=20_000) == REFERENCE_HEADLINE
    editor.wait_for_timeout(1000)  # the preview's own stylesheet and scripts
    # The page explorer and the image library (thumbnails).
    visit(editor, f"{server_url}/admin/pages/{staff['section']}/")
    visit(editor, f"{server_url}/admin/images/")
    assert editor.locator("img").first.evaluate("img => img.complete")
    editor.context.close()
