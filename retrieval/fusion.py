"""Fusion of lexical and dense results: reciprocal rank fusion, or a convex combination of scores."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

KeyT = TypeVar("KeyT", bound=Hashable)

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[KeyT]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[KeyT, float]]:
    """Fuse rankings: score(d) = sum_i w_i / (k + rank_i(d)), ranks starting at 1.

    Ties keep the order of first appearance (earlier lists, better ranks first). A key repeated within
    one ranking counts only at its best rank.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[KeyT, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[KeyT] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    order = {key: index for index, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def min_max_normalise(scores: Mapping[KeyT, float]) -> dict[KeyT, float]:
    """Scale scores to [0, 1] over the given keys (all equal → all 1.0)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high <= low:
        return dict.fromkeys(scores, 1.0)
    return {key: (value - low) / (high - low) for key, value in scores.items()}


def convex_combination(
    score_maps: Sequence[Mapping[KeyT, float]], weights: Sequence[float]
) -> list[tuple[KeyT, float]]:
    """Weighted sum of min-max normalised scores over the same candidate set, best first.

    Each map must score every candidate (a retriever that did not rank a candidate gives its real, low
    score — not a missing value). Unlike RRF, a passage that one retriever is sure about and the other
    ranks low can still win. Ties keep the order of the first map.
    """
    if len(score_maps) != len(weights):
        raise ValueError("one weight per score map")
    if not score_maps:
        return []
    keys = list(score_maps[0])
    if any(set(other) != set(keys) for other in score_maps[1:]):
        raise ValueError("every score map must cover the same candidates")
    normalised = [min_max_normalise(scores) for scores in score_maps]
    fused = {key: sum(w * norm[key] for w, norm in zip(weights, normalised, strict=True)) for key in keys}
    order = {key: index for index, key in enumerate(keys)}
    return sorted(fused.items(), key=lambda item: (-item[1], order[item[0]]))
