# ruff: noqa: E501 - long Chinese prose lines are data
"""A green-design-product self-evaluation as Markdown: product name and 规格型号 printed on the cover before
the date (they used to end the cover, so the cover date was 'missing'), real-world chapter wording."""

from __future__ import annotations

from assistant.report_check import check_report_bytes

DRAFT = """
# 房间空气调节器绿色设计产品自评价报告

产品名称：房间空气调节器
规格型号：KFR-35GW/BP3、KFR-50LW/BP2
申报单位：珠海示例电器股份有限公司（盖章）
2025年5月

## 材料真实性承诺

本单位承诺所提交的自评价报告及证明材料真实、有效，如有虚假，愿承担相应责任，并接受主管部门监督抽查。

法定代表人签字：          （公章）

2025年5月8日

| 单位名称 | 珠海示例电器股份有限公司 | 统一社会信用代码 | 91440400MA4UABC123 |
|---|---|---|---|
| 所属行业 | C3851 家用制冷电器具制造 | 评价标准 | T/CAGP 0001-2016、T/CAB 0001-2016《绿色设计产品评价技术规范 房间空气调节器》 |

## 一、企业基本情况

公司成立于1995年，主营家用空调的研发、制造和销售，年产空调800万台，拥有国家级企业技术中心。

## 二、产品基本情况

申报产品为房间空气调节器，采用R32环保冷媒和直流变频技术，全年能源消耗效率达到一级能效。

## 三、评价依据标准

T/CAGP 0001-2016、T/CAB 0001-2016《绿色设计产品评价技术规范 房间空气调节器》，GB 21455-2019。

## 四、基本要求符合性评价

企业污染物排放达标，近三年无重大安全和环境污染事故，已建立质量、环境和能源管理体系，逐条结论均为符合。

## 五、评价指标要求符合性

资源属性、能源属性、环境属性和产品属性各项指标均满足标准要求，详见附表。

## 六、产品生命周期评价报告

按GB/T 24040和GB/T 24044开展生命周期评价，功能单位为一台空调使用10年，系统边界为从摇篮到坟墓。

## 七、评价结论

经自评价，申报产品满足绿色设计产品评价技术规范的全部要求，自评价结论为符合。

附件：1.营业执照；2.检测报告；3.生命周期评价报告
"""


def _statuses(text: str) -> dict[str, str]:
    result = check_report_bytes("product.md", text.encode("utf-8"))
    assert result.detected_type == "product_self"
    return {e.id: e.status for e in result.elements}


def test_cover_date_after_fields_printed_on_the_cover_is_found() -> None:
    statuses = _statuses(DRAFT)
    assert statuses["PP-COVER-DATE"] == "present"
    assert statuses["PP-INFO-MODEL"] == "present"
    assert all(statuses[f"PP-CH{n}"] == "present" for n in range(1, 8))


def test_labelled_date_is_not_the_cover_date() -> None:
    without_cover_date = DRAFT.replace("（盖章）\n2025年5月\n", "（盖章）\n成立日期：1995年3月\n")
    assert "成立日期" in without_cover_date
    assert _statuses(without_cover_date)["PP-COVER-DATE"] == "missing"
