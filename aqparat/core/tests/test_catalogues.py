"""Our kk/ru catalogues translate our screens only, never Wagtail's or Django's.

Django reads the catalogues in LOCALE_PATHS (ours) before any app's, so a msgid
without a context that Wagtail or Django also uses takes our msgstr on their
screens too: our "Live" of a story replaced Wagtail's "Live" of a page in its page
listings. Our generic strings carry a context (`pgettext`, `{% translate ...
context %}`) instead; these tests find any that does not and says, for each, what
the other catalogue says.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings

LANGUAGES = ("kk", "ru")
# Deliberate overrides: (language, msgid) of another catalogue's msgid that we mean
# to re-translate everywhere, each with a comment saying why. Keep it empty.
ALLOWED_OVERRIDES: frozenset[tuple[str, str]] = frozenset()

Texts = tuple[str, ...]


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language)


def _msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _texts(message: Message) -> Texts:
    """The msgstr(s) Django would use: none for an untranslated or fuzzy entry
    (compiled catalogues leave those out)."""
    string = message.string
    texts = (string,) if isinstance(string, str) else tuple(string or ())
    return texts if texts and all(texts) and not message.fuzzy else ()


def _english(message: Message) -> Texts:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _ours(language: str) -> Catalog:
    locale = Path(settings.LOCALE_PATHS[0])
    return _read(locale / language / "LC_MESSAGES" / "django.po", language)


def _their_paths(language: str) -> list[Path]:
    """The other catalogues of `language`, in the order Django prefers them: the
    installed apps (the first wins), then Django's own."""
    dirs = [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if not config.name.startswith("aqparat.")
    ]
    dirs.append(Path(django.__file__).parent / "conf" / "locale")
    paths = [d / language / "LC_MESSAGES" / "django.po" for d in dirs]
    return [path for path in paths if path.exists()]


@cache
def _theirs(language: str) -> dict[str, Texts]:
    """What the other catalogues say for each msgid without a context: the first
    translation, else () (the English msgid shows)."""
    said: dict[str, Texts] = {}
    for path in _their_paths(language):
        for message in _read(path, language):
            if message.id and not message.context:
                key = _msgid(message)
                said[key] = said.get(key) or _texts(message)
    return said


@cache
def _their_msgids() -> frozenset[str]:
    """Every msgid the others translate in some language we ship (Wagtail has no
    Kazakh catalogue: its msgids come from its Russian one)."""
    return frozenset(key for language in LANGUAGES for key in _theirs(language))


def collisions(language: str) -> list[str]:
    """Our context-free entries that change what another catalogue's msgid says."""
    theirs = _theirs(language)
    found = []
    for message in _ours(language):
        key = _msgid(message) if message.id else ""
        if not key or message.context or key not in _their_msgids():
            continue
        if (language, key) in ALLOWED_OVERRIDES:
            continue
        ours = _texts(message)
        before = theirs.get(key) or _english(message)
        if ours and ours != before:
            found.append(f"{key!r}: ours {ours!r}, theirs {before!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_our_catalogue_leaves_wagtails_and_djangos_msgids_alone(
    language: str,
) -> None:
    assert collisions(language) == []


def test_the_check_reads_wagtails_catalogues() -> None:
    """Else the test above would pass for want of anything to compare with."""
    assert _theirs("ru")["Live"] == ("Опубликовано",)  # a page's status
    assert "Live" in _their_msgids()
