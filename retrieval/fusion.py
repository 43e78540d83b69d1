"""Reciprocal rank fusion of several ranked lists (lexical + dense)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
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
