"""Reviewer Markdown: verdict line with counts; missing required elements first, with clauses."""

from __future__ import annotations

from assistant.report_check import check_report_bytes
from assistant.report_check.markdown import render_markdown


def test_verdict_line_counts_and_missing_section_first() -> None:
    draft = "\n\n".join(
        [
            "# 绿色工厂自评价报告",
            "申报单位：示例有限公司",
            "## 一、工厂基本情况",
            "本公司成立于2008年，主营精密零部件生产。",
        ]
    )
    result = check_report_bytes("draft.md", draft.encode("utf-8"), "factory_self")
    text = render_markdown(result)
    missing_required = [e for e in result.elements if e.required and e.status == "missing"]
    assert f"- 结论：**内容不完整**（缺少必备要素 {len(missing_required)} 项" in text
    assert text.index("## 缺少的必备要素") < text.index("## 内容不足的必备要素") < text.index("## 建议补充")
    commitment = next(line for line in text.splitlines() if "`FS-COMMIT-TEXT`" in line)
    assert "依据：材料真实性承诺" in commitment
