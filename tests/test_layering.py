"""The dependency direction of docs' STYLE rule 6, held by a test: an app imports
only apps below it (and itself); the features never import one another; nothing
in production code imports `demo` (on top, installed only in dev and test) or a
`tests` package. Tests and migrations are outside the rule; the project's own
composition root (aqparat/urls.py, settings, wsgi) wires every app and is too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "aqparat"

LAYERS = {
    # the ground: pure helpers, users, transliteration and language analysis
    "core": 0, "users": 0, "translit": 0,
    "images": 1, "rates": 1,
    "news": 2,
    # the features: above news, never importing one another
    "telegram": 3, "analytics": 3, "newsroom": 3, "search": 3, "syndication": 3,
    "api": 4,  # may read any feature's selectors
    "demo": 5,
}  # fmt: skip


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in LAYERS or {"tests", "migrations"} & set(parts):
            continue
        app = parts[0]
        for module in _imports(path):
            names = module.split(".")
            if names[0] != "aqparat" or len(names) < 2 or names[1] == app:
                continue
            other = names[1]
            if "tests" in names or other not in LAYERS or LAYERS[other] >= LAYERS[app]:
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    return found


def test_every_app_imports_only_the_apps_below_it() -> None:
    assert violations() == []


def test_every_app_has_a_place_in_the_layers() -> None:
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYERS)
