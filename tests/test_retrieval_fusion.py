"""Reciprocal rank fusion arithmetic."""

from __future__ import annotations

import pytest

from retrieval.fusion import convex_combination, min_max_normalise, reciprocal_rank_fusion


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


def test_min_max_normalise() -> None:
    assert min_max_normalise({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max_normalise({"a": 7.0, "b": 7.0}) == {"a": 1.0, "b": 1.0}
    assert min_max_normalise({}) == {}


def test_convex_combination_arithmetic() -> None:
    lexical = {"a": 10.0, "b": 0.0, "c": 5.0}  # normalised: a 1, b 0, c 0.5
    dense = {"a": 0.70, "b": 0.90, "c": 0.80}  # normalised: a 0, b 1, c 0.5
    fused = dict(convex_combination([lexical, dense], [0.4, 0.6]))
    assert fused == {"a": pytest.approx(0.4), "b": pytest.approx(0.6), "c": pytest.approx(0.5)}
    assert [key for key, _ in convex_combination([lexical, dense], [0.4, 0.6])] == ["b", "c", "a"]


def test_convex_lets_a_confident_single_retriever_win() -> None:
    # "x" is far ahead lexically and only 4th of 5 for dense: the convex combination keeps it first,
    # reciprocal rank fusion (which only sees ranks) does not.
    lexical = {"x": 30.0, "y": 5.0, "z": 3.0, "w": 2.0, "v": 0.0}
    dense = {"x": 0.84, "y": 0.85, "z": 0.86, "w": 0.845, "v": 0.80}
    assert convex_combination([lexical, dense], [0.5, 0.5])[0][0] == "x"
    rankings = [sorted(scores, key=lambda key: -scores[key]) for scores in (lexical, dense)]
    assert reciprocal_rank_fusion(rankings)[0][0] != "x"


def test_convex_combination_validates() -> None:
    with pytest.raises(ValueError):
        convex_combination([{"a": 1.0}], [0.5, 0.5])
    with pytest.raises(ValueError):
        convex_combination([{"a": 1.0}, {"b": 1.0}], [0.5, 0.5])
    assert convex_combination([], []) == []
