"""Ranks checked against the figures they rank by.

A rank places a company within a named set for a period, by some metric ("the largest
cross-border platform", by market share). A document whose figures for that metric and period
order two ranked companies the other way contradicts the ranking: each of the two ranks gets a
conflict that says why, even though no other document ranks them differently.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from api.corpus.merge import Corpus, Merged, MetricKey, settle_drafts


def ranking_conflicts(corpus: Corpus) -> dict[MetricKey, list[str]]:
    """Why each contradicted rank is in dispute, by the rank's metric key."""
    names = {entry.slug: entry.name for entry in corpus.registry.companies}
    sets: dict[tuple[str, str, str | None], list[tuple[MetricKey, float]]] = defaultdict(list)
    for key, merged in corpus.metrics.items():
        rank = settle_drafts(merged.claims).value
        if merged.fields.get("ranked_by") and rank is not None:
            period = key[2]
            sets[(merged.fields["among"], merged.fields["ranked_by"], period)].append(
                (key, rank["amount"])
            )
    reasons: dict[MetricKey, list[str]] = defaultdict(list)
    for (among, by, period), ranked in sets.items():
        for (first, first_rank), (second, second_rank) in combinations(ranked, 2):
            if first_rank == second_rank:
                continue
            (higher, high), (lower, low) = sorted(
                [(first, first_rank), (second, second_rank)], key=lambda pair: pair[1]
            )
            above = _figures(corpus.metrics.get((higher[0], by, period)))
            below = _figures(corpus.metrics.get((lower[0], by, period)))
            for source in sorted(above.keys() & below.keys()):
                (higher_figure, note), (lower_figure, _) = above[source], below[source]
                if higher_figure >= lower_figure:
                    continue
                reason = (
                    f"{names[higher[0][1]]} is ranked {high:g} and {names[lower[0][1]]} "
                    f"{low:g} among {among} ({period or 'no period'}), but {source} gives them "
                    f"{by} {higher_figure:g} and {lower_figure:g}" + (f" ({note})" if note else "")
                )
                reasons[higher].append(reason)
                reasons[lower].append(reason)
    return dict(reasons)


def _figures(merged: Merged | None) -> dict[str, tuple[float, str | None]]:
    """Each document's figure for a metric, with how it was read (its period assumed, say)."""
    if merged is None:
        return {}
    return {draft.span.source: (draft.value["amount"], draft.note) for draft in merged.claims}
