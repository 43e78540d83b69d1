"""What-if plans: no item of the set chosen to reach a target is superfluous."""

from __future__ import annotations

import pytest

from assistant.scoring import score_input

SC = {"X11": 8, "X12": 4, "X13": True, "X26": 85, "X41": 35, "X42": 60}  # total 26.15


def province(indicators: dict) -> dict:
    return {"programme": "supply_chain", "name": "某省细则", "source": "测试", "indicators": indicators}


def plan(target: float, override: dict | None = None) -> list[str]:
    result = score_input(
        {"programme": "supply_chain", "indicators": SC}, rules_override=override, target=target
    )
    assert result.total == pytest.approx(26.15)
    assert result.target_reachable is True
    gained = sum(i.gain for i in result.improvements)
    assert result.total + gained >= target
    # minimal: dropping any single item misses the target
    for item in result.improvements:
        assert result.total + gained - item.gain < target, item.id
    return [i.id for i in result.improvements]


def test_cheap_items_made_unnecessary_by_a_larger_one_are_dropped():
    # efforts put X12 (+2) and X26 (+0.6) first, but they cannot reach 35 (needs +8.85) without X31 (+10),
    # which reaches it alone
    efforts = province({"X12": {"effort": 1}, "X26": {"effort": 1}, "X31": {"effort": 5}})
    assert plan(35, efforts) == ["X31"]


def test_cheap_items_that_are_still_needed_are_kept():
    efforts = province({"X12": {"effort": 1}, "X26": {"effort": 1}, "X31": {"effort": 5}})
    # +11.85 needed: X31 alone is not enough; X12 (+2) is then needed, X26 (+0.6) is not
    assert plan(38, efforts) == ["X12", "X31"]


def test_without_efforts_the_largest_gains_come_first():
    assert plan(35) == ["X31"]
    assert len(plan(50)) == 3  # +23.85: three 10-point items
