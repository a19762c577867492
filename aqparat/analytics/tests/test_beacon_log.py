"""Beacons the front cache answered, counted from its log: each line once, like a
beacon the application answered (bots, repeats and the limit included), across
rotation, truncation, a line still being written and a fold that dies midway.

nginx itself writing these lines is proven in tests/e2e/test_front_cache.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from aqparat.analytics import beacon_log
from aqparat.analytics.beacon_log import beacon_line_parse, beacon_log_fold
from aqparat.analytics.buffer import BufferUnavailable, get_view_buffer
from aqparat.analytics.models import BeaconLogPosition
from aqparat.analytics.selectors import page_views_total
from aqparat.analytics.services import views_fold
from aqparat.analytics.tests.conftest import READER
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, newsroom_build

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: no except clause catches it (the fold's own save does)."""


@pytest.fixture
def article() -> ArticlePage:
    return ArticlePageFactory(parent=newsroom_build().section)


def line(page_id: int, ip: str, agent: str = READER, at: float | None = None) -> str:
    """What nginx writes with the shipped `aqparat_beacon` format."""
    stamp = f"{time.time() if at is None else at:.3f}"
    return f"{stamp}\t{ip}\t{page_id}\t{agent}\n"


def append(log: Path, text: str) -> None:
    with log.open("a", encoding="utf-8") as handle:
        handle.write(text)


def fails_from(
    call: int, real: Callable[..., Any], error: BaseException | type[BaseException]
) -> Callable[..., Any]:
    """`real`, except that its `call`-th call and every later one raise `error`."""
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] >= call:
            raise error
        return real(*args, **kwargs)

    return failing


def readers_log(
    tmp_path: Path, article: ArticlePage, readers: int, chunk: int,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:  # fmt: skip
    """A log of `readers` different readers of `article`, folded `chunk` lines at a
    time."""
    log = tmp_path / "beacons.log"
    append(log, "".join(line(article.pk, f"10.0.0.{n}") for n in range(readers)))
    monkeypatch.setattr(beacon_log, "CHUNK", chunk)
    return log


def fold(log: Path) -> None:
    with override_settings(AQPARAT_BEACON_LOG=str(log)):
        views_fold()


def test_each_line_counts_once_and_a_second_fold_reads_only_new_lines(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    append(log, "".join(line(article.pk, f"192.0.2.{n}") for n in range(5)))
    fold(log)
    assert page_views_total(page_id=article.pk) == 5
    fold(log)
    assert page_views_total(page_id=article.pk) == 5
    append(log, line(article.pk, "198.51.100.1"))
    fold(log)
    assert page_views_total(page_id=article.pk) == 6


def test_bots_repeats_and_malformed_lines_are_not_views(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    append(log, line(article.pk, "192.0.2.1"))
    append(log, line(article.pk, "192.0.2.1"))  # the same reader again: a repeat
    append(log, line(article.pk, "192.0.2.2", "Googlebot/2.1"))
    append(log, line(article.pk, "192.0.2.3", "-"))  # no User-Agent
    append(log, "garbage without tabs\n")
    append(log, f"{time.time():.3f}\t192.0.2.4\t١٢\t{READER}\n")  # not ASCII digits
    result = beacon_log_fold(log, buffer=get_view_buffer())
    assert (result.lines, result.counted, result.malformed) == (6, 1, 2)


def test_the_per_client_limit_applies_to_logged_beacons(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    others = ArticlePageFactory.create_batch(4, parent=article.get_parent())
    append(log, "".join(line(a.pk, "192.0.2.9") for a in [article, *others]))
    with override_settings(AQPARAT_BEACONS_PER_MINUTE=3):
        result = beacon_log_fold(log, buffer=get_view_buffer())
    assert result.counted == 3


def test_nginx_escaping_is_undone_before_the_bot_check() -> None:
    parsed = beacon_line_parse(
        b"1796366529.621\t10.1.2.3\t123\tMozilla/5.0 \\x22x\\x22\\x09tab \\xC3\\xBC"
    )
    assert parsed is not None
    assert (parsed.at, parsed.ip, parsed.page_id) == (1796366529.621, "10.1.2.3", 123)
    assert parsed.user_agent == 'Mozilla/5.0 "x"\ttab ü'
    assert beacon_line_parse(b"1.0\t-\t5\tMozilla") is None


def test_a_line_still_being_written_waits_for_its_end(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    whole = line(article.pk, "192.0.2.1")
    append(log, line(article.pk, "192.0.2.7") + whole[:20])
    fold(log)
    assert page_views_total(page_id=article.pk) == 1
    append(log, whole[20:])
    fold(log)
    assert page_views_total(page_id=article.pk) == 2


def test_a_rotated_log_is_finished_and_the_new_one_read_from_its_start(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    append(log, line(article.pk, "192.0.2.1"))
    fold(log)
    append(log, line(article.pk, "192.0.2.2"))  # written before the rotation
    log.rename(tmp_path / "beacons.log.1")  # logrotate, then nginx -s reopen
    append(log, line(article.pk, "192.0.2.3"))
    fold(log)
    assert page_views_total(page_id=article.pk) == 3
    (tmp_path / "beacons.log.1").unlink()  # the next rotation's compression
    fold(log)
    assert page_views_total(page_id=article.pk) == 3
    assert BeaconLogPosition.objects.count() == 1  # the gone file is forgotten


def test_a_log_truncated_in_place_is_read_again_from_its_start(
    article: ArticlePage, tmp_path: Path
) -> None:
    log = tmp_path / "beacons.log"
    append(log, line(article.pk, "192.0.2.1") + line(article.pk, "192.0.2.2"))
    fold(log)
    log.write_text(line(article.pk, "192.0.2.3"), encoding="ascii")  # copytruncate
    fold(log)
    assert page_views_total(page_id=article.pk) == 3


def test_an_interrupted_fold_keeps_its_place_and_counts_each_line_once(
    article: ArticlePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = readers_log(tmp_path, article, 30, 10, monkeypatch)
    buffer = get_view_buffer()
    # The consumer stopped while the third chunk was being recorded.
    stopped = fails_from(3, buffer.record, KeyboardInterrupt)
    monkeypatch.setattr(buffer, "record", stopped)
    with pytest.raises(KeyboardInterrupt):
        fold(log)
    monkeypatch.undo()
    assert page_views_total(page_id=article.pk) == 0  # not folded yet
    assert BeaconLogPosition.objects.get().offset == sum(
        len(text) for text in log.read_text().splitlines(keepends=True)[:20]
    )
    fold(log)
    assert page_views_total(page_id=article.pk) == 30


def test_a_fold_killed_before_saving_its_place_replays_lines_as_repeats(
    article: ArticlePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = readers_log(tmp_path, article, 30, 10, monkeypatch)
    # Killed at the third save: every line counted, the last ten not yet recorded.
    killed = fails_from(3, BeaconLogPosition.save, WorkerKilled)
    monkeypatch.setattr(BeaconLogPosition, "save", killed)
    with pytest.raises(WorkerKilled):
        fold(log)
    monkeypatch.undo()
    fold(log)  # lines 21-30 again: the same readers within the window
    assert page_views_total(page_id=article.pk) == 30


def test_a_buffer_that_refuses_stops_the_fold_before_that_chunk(
    article: ArticlePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = readers_log(tmp_path, article, 4, 2, monkeypatch)
    buffer = get_view_buffer()
    down = BufferUnavailable("views buffer: connection refused")
    monkeypatch.setattr(buffer, "record", fails_from(2, buffer.record, down))
    with pytest.raises(BufferUnavailable):
        beacon_log_fold(log, buffer=buffer)
    monkeypatch.undo()
    fold(log)
    assert page_views_total(page_id=article.pk) == 4
