"""Search quality metrics, as pure functions over ranked result lists.

recall@k: the share of an query's judged-relevant articles found in its first k
results, averaged over queries. MRR: the mean of 1/rank of the first relevant
result (0 when none is found). Zero-result rate: the share of queries that found
nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean


@dataclass(frozen=True)
class Judged:
    ranked: Sequence[object]
    relevant: frozenset[object]


@dataclass(frozen=True)
class QualityRow:
    language: str
    queries: int
    recall_at_10: float
    mrr: float
    zero_result_rate: float


def recall_at(
    ranked: Sequence[object], relevant: frozenset[object], k: int = 10
) -> float:
    if not relevant:
        return 1.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[object], relevant: frozenset[object]) -> float:
    for position, item in enumerate(ranked, 1):
        if item in relevant:
            return 1 / position
    return 0.0


def quality_row(language: str, runs: Sequence[Judged], k: int = 10) -> QualityRow:
    if not runs:
        return QualityRow(language, 0, 0.0, 0.0, 0.0)
    return QualityRow(
        language=language,
        queries=len(runs),
        recall_at_10=fmean(recall_at(r.ranked, r.relevant, k) for r in runs),
        mrr=fmean(reciprocal_rank(r.ranked, r.relevant) for r in runs),
        zero_result_rate=fmean(0.0 if r.ranked else 1.0 for r in runs),
    )


def quality_table(rows: Sequence[QualityRow], *, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'lang':<6}{'queries':>8}{'recall@10':>11}{'MRR':>8}{'zero':>8}")
    lines += [
        f"{r.language:<6}{r.queries:>8}{r.recall_at_10:>11.3f}{r.mrr:>8.3f}"
        f"{r.zero_result_rate:>8.3f}"
        for r in rows
    ]
    return "\n".join(lines)


def quality_regressions(
    rows: Sequence[QualityRow], baseline: dict[str, dict[str, float]], tolerance: float
) -> list[str]:
    """What got worse than the stored baseline by more than `tolerance`."""
    problems = []
    for row in rows:
        base = baseline.get(row.language)
        if base is None:
            problems.append(f"{row.language}: no baseline stored")
            continue
        if row.recall_at_10 < base["recall_at_10"] - tolerance:
            problems.append(
                f"{row.language}: recall@10 {row.recall_at_10:.3f} < "
                f"{base['recall_at_10']:.3f}"
            )
        if row.mrr < base["mrr"] - tolerance:
            problems.append(f"{row.language}: MRR {row.mrr:.3f} < {base['mrr']:.3f}")
        if row.zero_result_rate > base["zero_result_rate"] + tolerance:
            problems.append(
                f"{row.language}: zero-result rate {row.zero_result_rate:.3f} > "
                f"{base['zero_result_rate']:.3f}"
            )
    return problems
