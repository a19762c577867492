"""Search quality on the demo newsroom against the judged query sets: fails when
recall@10 or MRR falls, or the zero-result rate rises, past the stored baseline
(demo/judged/baseline.json, per database: PostgreSQL adds the fuzzy fallback).

Rerun and print both tables (without and with stemming): `manage.py search_quality`;
`--write-baseline` stores new figures (for SQLite; see docs/subsystems/search.md).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase

from aqparat.demo.search_quality import LANGUAGES, baseline_load, quality_measure
from aqparat.demo.services import demo_newsroom_load
from aqparat.search.metrics import (
    Judged,
    quality_regressions,
    quality_row,
    quality_table,
    recall_at,
    reciprocal_rank,
)

TOLERANCE = 0.02


class SearchQualityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_newsroom_load()

    def test_judged_queries_meet_the_baseline(self) -> None:
        baseline = baseline_load().get(connection.vendor)
        if baseline is None:
            pytest.skip(f"no quality baseline stored for {connection.vendor}")
        rows = [quality_measure(code) for code in LANGUAGES]
        title = f"search quality ({connection.vendor})"
        print("\n" + quality_table(rows, title=title))  # noqa: T201
        assert quality_regressions(rows, baseline, TOLERANCE) == []


@pytest.mark.parametrize(
    ("ranked", "relevant", "recall", "rr"),
    [
        ([1, 2, 3], {1}, 1.0, 1.0),
        ([2, 1, 3], {1}, 1.0, 0.5),
        ([2, 3], {1, 3}, 0.5, 0.5),
        ([], {1}, 0.0, 0.0),
        ([*range(10, 20), 1], {1}, 0.0, 1 / 11),
    ],
)
def test_recall_and_reciprocal_rank(ranked, relevant, recall, rr) -> None:
    assert recall_at(ranked, frozenset(relevant)) == pytest.approx(recall)
    assert reciprocal_rank(ranked, frozenset(relevant)) == pytest.approx(rr)


def test_quality_row_and_regressions() -> None:
    row = quality_row(
        "kk",
        [Judged([1], frozenset({1})), Judged([], frozenset({2}))],
    )
    assert (row.recall_at_10, row.mrr, row.zero_result_rate) == (0.5, 0.5, 0.5)
    base = {"kk": {"recall_at_10": 0.6, "mrr": 0.5, "zero_result_rate": 0.4}}
    problems = quality_regressions([row], base, tolerance=0.02)
    assert len(problems) == 2
    assert quality_regressions([row], base, tolerance=0.2) == []
    assert quality_regressions([row], {}, tolerance=0.2) == ["kk: no baseline stored"]
