"""Reciprocal rank fusion arithmetic."""

from __future__ import annotations

import pytest

from retrieval.fusion import reciprocal_rank_fusion


def test_rrf_scores_match_the_formula() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)


def test_rrf_order_and_ties() -> None:
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], k=60)
    assert [key for key, _ in fused] == ["a", "b"]  # equal scores: first appearance wins
    assert fused[0][1] == pytest.approx(fused[1][1])
    assert [key for key, _ in reciprocal_rank_fusion([["x", "y"], ["y"]])] == ["y", "x"]


def test_rrf_weights_and_duplicates() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"], ["b"]], k=10, weights=[2.0, 1.0]))
    assert fused["a"] == pytest.approx(2 / 11)  # a repeated key counts once, at its best rank
    assert fused["b"] == pytest.approx(2 / 13 + 1 / 11)  # ranks are list positions
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    assert reciprocal_rank_fusion([[], []]) == []
