"""Claimed totals in a draft's indicator table are cross-checked with the scoring engine (advisory)."""

from __future__ import annotations

import pytest

from assistant.report_check import check_report_bytes
from assistant.scoring import score_input
from evals.datasets.reports.render import render_pdf
from knowledge_base.scoring import load_rules

SC_SCORES = {
    "X11": 8, "X12": 6, "X13": 5, "X21": 4, "X22": 3, "X23": 3, "X24": 2, "X25": 3, "X26": 3.5, "X31": 10,
    "X32": 9, "X41": 4, "X42": 4, "X43": 5, "X44": 4, "X51": 9, "X61": 2.5, "X62": 2.5, "X63": 2, "X64": 2.5,
}  # fmt: skip
SC_SUM = 92.0  # 8+6+5 + 4+3+3+2+3+3.5 + 10+9 + 4+4+5+4 + 9 + 2.5+2.5+2+2.5 (GSCI = plain sum of item points)


def _sc_rows(scores: dict[str, float]) -> list[list[str]]:
    rules = load_rules("supply_chain")
    rows = [["序号", "指标编号", "二级指标", "最高分值", "自评得分"]]
    for number, (item_id, score) in enumerate(scores.items(), start=1):
        item = rules.indicator(item_id)
        rows.append([str(number), item_id, item.name, f"{item.max_score:g}", f"{score:g}"])
    return rows


def _sc_markdown(scores: dict[str, float], total: float) -> bytes:
    rows = [*_sc_rows(scores), ["合计", "", "", "100", f"{total:g}"]]
    table = ["| " + " | ".join(row) + " |" for row in rows]
    table.insert(1, "|" + "---|" * len(rows[0]))
    text = "\n".join(
        ["# 绿色供应链管理企业自评价报告", "", "## 附表 绿色供应链管理评价指标自评表", "", *table]
    )
    return text.encode("utf-8")


def _findings(result) -> list:
    return [f for f in result.cross_checks if f.rule == "claimed_total_mismatch"]


def test_engine_agrees_with_the_hand_sum() -> None:
    points_input = dict(
        SC_SCORES, X26=87.5, X41=80.0, X42=80.0
    )  # percent items: measured % giving those points
    assert score_input({"programme": "supply_chain", "indicators": points_input}).total == SC_SUM


def test_wrong_total_is_flagged_without_changing_the_verdict() -> None:
    wrong = check_report_bytes("sc.md", _sc_markdown(SC_SCORES, 95), "supply_chain_self")
    right = check_report_bytes("sc.md", _sc_markdown(SC_SCORES, SC_SUM), "supply_chain_self")
    (finding,) = _findings(wrong)
    assert "95" in finding.message and "92" in finding.message
    assert finding.confirmed is False  # the GSCI plain-sum reading is unconfirmed in the reference
    assert not _findings(right)
    assert wrong.verdict == right.verdict and wrong.missing == right.missing
    assert any("总分" in w for w in wrong.warnings) and not any("总分" in w for w in right.warnings)


def test_pdf_table_is_cross_checked_too() -> None:
    rows = [*_sc_rows(SC_SCORES), ["合计", "", "", "100", "90"]]
    data = render_pdf([("heading", 1, "绿色供应链管理企业自评价报告"), ("table", rows)])
    (finding,) = _findings(check_report_bytes("sc.pdf", data, "supply_chain_self"))
    assert "90" in finding.message and "92" in finding.message


@pytest.mark.parametrize(
    ("total", "flagged"),
    [(15, True), (19, False), (60, False), (99, False), (99.5, True)],
)
def test_partial_table_flags_only_impossible_totals(total: float, flagged: bool) -> None:
    partial = {"X11": 8, "X12": 6, "X13": 5}  # 19 points listed, 80 more possible from the 17 unlisted items
    result = check_report_bytes("sc.md", _sc_markdown(partial, total), "supply_chain_self")
    assert bool(_findings(result)) is flagged


def test_invalid_item_score_is_left_out_and_named() -> None:
    scores = dict(SC_SCORES, X11=12)  # above the maximum of 8: reported by score_exceeds_max
    result = check_report_bytes("sc.md", _sc_markdown(scores, 99), "supply_chain_self")
    assert any(f.rule == "score_exceeds_max" for f in result.cross_checks)
    (finding,) = _findings(result)
    assert "X11" in finding.message


def test_factory_total_uses_the_group_weights() -> None:
    # 基础设施 20%: G18-INF-01 8 + G18-INF-02 6 → 2.8; 管理体系 15%: G18-MS-01 10 → 1.5; listed total 4.3
    text = "\n".join(
        [
            "# 绿色工厂自评价报告",
            "",
            "| 序号 | 条目 | 分值 | 得分 |",
            "|---|---|---|---|",
            "| 1 | G18-INF-01 | 8 | 8 |",
            "| 2 | G18-INF-02 | 6 | 6 |",
            "| 3 | G18-MS-01 | 10 | 10 |",
            "| 合计 | | | 3 |",
        ]
    )
    result = check_report_bytes("f.md", text.encode("utf-8"), "factory_self")
    (finding,) = _findings(result)
    assert "4.3" in finding.message and "3" in finding.message
