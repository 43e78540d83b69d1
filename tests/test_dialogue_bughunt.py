"""Defects found by using the dialogue as a park / supply-chain / product applicant would (bug hunt)."""

from __future__ import annotations

import pytest

from assistant.dialogue.text import years_ago
from tests.helpers_dialogue import YEAR, offline_answers, run  # noqa: F401 (autouse fixture)


def test_policy_question_mid_flow_is_answered_and_the_flow_resumes() -> None:
    turn, state = run("我们想申报绿色工厂", "在生产", "第三方评价机构怎么选？")
    assert turn.intent == "policy_question"
    assert "（测试答案）" in turn.reply
    assert turn.asked_for == ["BR-02"] and "回到申报资格判断" in turn.reply
    # a bare answer right after the policy answer still answers the pending question
    turn, state = run("没有", state=state)
    assert turn.intent == "eligibility"
    assert turn.verdict is not None and turn.verdict.check("BR-02").status == "pass"


def test_policy_question_outside_a_flow_asks_nothing() -> None:
    turn, _ = run("绿色工厂的评价依据是什么？")
    assert turn.intent == "policy_question" and turn.asked_for == []
    assert "回到申报资格判断" not in turn.reply


def test_park_policy_question_mid_flow_keeps_the_park_question() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "园区的专职人员要几个？")
    assert turn.intent == "policy_question" and turn.asked_for == ["BR2"]
    turn, _ = run("没有", state=state)
    assert turn.filled_slots.get("accident_severity") == "无"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19年出过一次事故", 7),
        ("二〇一九年", 7),
        ("二零二四年", 2),
        ("一九年那次", 7),
        ("22年", 4),
        ("99年", 27),
    ],
)
def test_two_digit_and_chinese_numeral_years_are_calendar_years(text: str, expected: int) -> None:
    assert years_ago(text, YEAR) == (expected, False)


@pytest.mark.parametrize("text", ["近10年", "成立了12年", "12年了", "十九年", "这家厂开了15年多"])
def test_durations_are_not_read_as_calendar_years(text: str) -> None:
    assert years_ago(text, YEAR)[0] is None


@pytest.mark.parametrize("message", ["19年出过一次重大污染事故", "二〇一九年出过一次重大污染事故"])
def test_major_park_accident_in_2019_is_outside_the_three_year_window(message: str) -> None:
    turn, _ = run("我们想申报绿色园区", message)
    assert turn.verdict is not None
    assert turn.verdict.check("BR2").status != "fail"
    assert "超出“近三年”的范围" in turn.reply


def test_factory_accident_in_22_is_outside_the_window_but_24_is_inside() -> None:
    old, _ = run("我们想申报绿色工厂", "22年出过一次较大的安全事故")
    assert old.verdict is not None and old.verdict.check("BR-02").status == "pass"
    recent, _ = run("我们想申报绿色工厂", "24年出过一次较大的安全事故")
    assert recent.verdict is not None and recent.verdict.check("BR-02").status == "fail"


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("我们是省级的，不是国家级", "省级"),
        ("我们是县级工业园，不过正在申请升省级", "县级"),
        ("市级园区，争取明年升省级", "市级"),
        ("我们园区未定级", "未定级"),
        ("我们是省级园区，去年刚升为国家级", "国家级"),
    ],
)
def test_park_level_ignores_denied_and_hoped_for_levels(message: str, level: str) -> None:
    _, state = run("我们想申报绿色园区", message)
    assert state.profiles["park"].fields["park_level"] == level


def test_one_part_met_and_another_part_unknown_leaves_the_item_unknown() -> None:
    turn, _ = run("我们想申报绿色园区", "国家级", "没出过事故", "节能减排指标完成了，碳排放强度不清楚")
    assert turn.verdict is not None and turn.verdict.check("BR2").status == "unknown"
    assert "BR2" not in turn.filled_slots


def test_an_uncertain_clause_does_not_assert_its_topic() -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", "供应商管理体系健不健全不清楚")
    assert turn.verdict is not None and turn.verdict.check("BR5").status == "unknown"


def test_supplier_management_system_does_not_answer_the_company_management_system() -> None:
    turn, state = run("我们想申报绿色供应链管理企业", "供应商管理制度健全")
    assert turn.filled_slots == {"BR5": True}
    assert "BR3" not in state.profiles["supply_chain"].partial


def test_leading_profitability_is_not_industry_influence() -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", "财务健全，盈利能力行业领先")
    assert turn.filled_slots == {"BR6": True}
    assert turn.verdict is not None and turn.verdict.check("BR2").status == "unknown"


@pytest.mark.parametrize("message", ["我们是行业龙头", "市场占有率全国第一", "我们是行业领先企业"])
def test_colloquial_industry_influence_answers_br2(message: str) -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", message)
    assert turn.filled_slots.get("BR2") is True


@pytest.mark.parametrize(
    ("message", "share"),
    [("工业增加值占比十五%", 15.0), ("工业增加值占比六成", 60.0), ("工业增加值占比百分之六十五", 65.0)],
)
def test_industrial_value_added_share_in_chinese_numerals(message: str, share: float) -> None:
    turn, _ = run("我们想申报绿色园区", message)
    assert turn.filled_slots.get("industrial_value_added_share") == share


@pytest.mark.parametrize(
    ("message", "count"),
    [
        ("专职人员：2", 2),
        ("专职的有俩", 2),
        ("专职人员二十来个", 20),
        ("专职人员三十多人", 30),
        ("专职人员有1", 1),
    ],
)
def test_staff_count_in_colloquial_forms(message: str, count: int) -> None:
    turn, _ = run("我们想申报绿色园区", message)
    assert turn.filled_slots.get("staff_count") == count


def test_bare_colloquial_count_answers_the_staff_question() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "没出过事故", "节能减排都完成了，碳排放强度也在下降")
    assert turn.asked_for == ["BR6"]
    turn, _ = run("俩", state=state)
    assert turn.filled_slots.get("staff_count") == 2


def test_park_head_count_alone_does_not_claim_the_dedicated_body() -> None:
    flow = ("我们想申报绿色园区", "国家级", "没出过事故", "节能减排都完成了，碳排放强度也在下降")
    turn, state = run(*flow, "两名")
    assert turn.verdict is not None and turn.verdict.check("BR6").status == "unknown"
    assert "满足：园区设有负责绿色发展工作的专门机构" not in turn.reply
    assert turn.asked_for == ["BR6"] and "专门机构" in turn.reply
    turn, _ = run("有的", state=state)
    assert turn.verdict is not None and turn.verdict.check("BR6").status == "pass"


def test_park_body_and_head_count_in_one_message() -> None:
    turn, _ = run("我们想申报绿色园区", "有绿色发展办公室，配了3名专职人员")
    assert turn.verdict is not None and turn.verdict.check("BR6").status == "pass"
    short, _ = run("我们想申报绿色园区", "有专门机构，专职人员一名")
    assert short.verdict is not None and short.verdict.check("BR6").status == "fail"


def test_no_dedicated_body_fails_br6_whatever_the_head_count() -> None:
    turn, state = run("我们想申报绿色园区", "专职人员5名")
    turn, _ = run("没有专门机构", state=state)
    assert turn.verdict is not None and turn.verdict.check("BR6").status == "fail"


def test_clarifying_question_about_the_pending_question_is_a_policy_question() -> None:
    turn, _ = run("我们想申报绿色园区", "国家级", "专门机构指的是什么？")
    assert turn.intent == "policy_question" and turn.asked_for == ["BR2"]


def test_switching_programme_reports_the_industry_priority_of_the_new_programme() -> None:
    turn, _ = run("我们是汽车企业，想评绿色工厂", "在生产", "如果是绿色供应链呢")
    assert turn.programme == "supply_chain"
    assert "四（四）" in turn.reply  # 汽车 is a 586号 四（四） supply-chain priority industry


def test_correcting_a_head_count_with_a_bare_number() -> None:
    turn, _ = run("我们想申报绿色园区", "专职人员3名", "说错了，是1名")
    assert turn.filled_slots == {"staff_count": 1}
    assert turn.verdict is not None and turn.verdict.check("BR6").status == "fail"


def test_correcting_a_share_with_a_bare_percentage() -> None:
    turn, _ = run("我们想申报绿色园区", "工业增加值占比60%", "更正一下，是45%")
    assert turn.filled_slots == {"industrial_value_added_share": 45.0}


def test_a_correction_in_months_is_no_head_count() -> None:
    _, state = run("我们想申报绿色园区", "专职人员3名", "不对，是三个月前的事")
    assert state.profiles["park"].fields["staff_count"] == 3


def test_major_safety_accident_is_not_the_park_2016_pollution_veto() -> None:
    turn, _ = run("我们想申报绿色园区", "国家级", "去年园区里一家企业发生过一起重大安全事故")
    assert turn.intent == "eligibility"
    assert turn.verdict is not None and turn.verdict.check("BR2").status == "unknown"
    assert "不计入本条" in turn.reply and "版本说明［E2024 / E2025］" in turn.reply
    assert turn.asked_for == ["BR2"]  # pollution / ecological accidents are still to be asked


def test_no_safety_accident_says_nothing_about_park_pollution_accidents() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "没有发生过安全事故")
    assert "accident_severity" not in turn.filled_slots
    assert state.profiles["park"].accident_upper is None


def test_accident_naming_a_covered_kind_still_vetoes_the_park() -> None:
    turn, _ = run("我们想申报绿色园区", "国家级", "去年发生过一起重大安全环保事故")
    assert turn.verdict is not None and turn.verdict.check("BR2").status == "fail"


def test_quality_accident_is_outside_supply_chain_2016_br3_but_not_factory_br02() -> None:
    chain, _ = run("我们想申报绿色供应链管理企业", "前年出过一次重大质量事故")
    assert chain.verdict is not None and chain.verdict.check("BR3").status == "unknown"
    factory, _ = run("我们想申报绿色工厂", "前年出过一次重大质量事故")
    assert factory.verdict is not None and factory.verdict.check("BR-02").status == "fail"


FACTORY_TWO_QUESTIONS = ("我们想申报绿色工厂", "在生产", "没有事故")  # then BR-01 and BR-06 are asked


def test_answers_by_position_to_two_questions() -> None:
    turn, _ = run(*FACTORY_TWO_QUESTIONS, "第一个是，第二个没有")
    assert turn.filled_slots == {"BR-01": True, "BR-06": False}


def test_answer_by_position_with_one_unknown() -> None:
    turn, state = run(*FACTORY_TWO_QUESTIONS, "前者有，后者不清楚")
    assert turn.filled_slots == {"BR-01": True}
    assert "BR-06" in state.profiles["factory"].skipped


def test_a_ranking_word_inside_a_reply_is_no_position() -> None:
    turn, _ = run(*FACTORY_TWO_QUESTIONS, "我们是全国第一")
    assert "BR-01" not in turn.filled_slots and "BR-06" not in turn.filled_slots


def test_basic_requirement_answered_while_scoring_counts_for_eligibility() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "帮我打个分", "BR1=是")
    assert turn.intent == "scoring" and turn.filled_slots == {"BR1": True}
    turn, _ = run("那我们到底能不能申报？", state=state)
    assert turn.verdict is not None and turn.verdict.check("BR1").status == "pass"
    assert "BR1" not in turn.asked_for


@pytest.mark.parametrize("message", ["去年没出过事故", "近两年没有发生过事故", "2025年以来没出过事故"])
def test_no_accident_in_a_shorter_period_leaves_the_three_year_window_open(message: str) -> None:
    turn, _ = run("我们想申报绿色工厂", message)
    assert "accident_severity" not in turn.filled_slots
    assert turn.verdict is not None and turn.verdict.check("BR-02").status == "unknown"
    assert "近3年" in turn.reply


@pytest.mark.parametrize(
    "message", ["近三年没有事故", "近五年没有发生过事故", "2019年以来没出过事故", "从没出过事故"]
)
def test_no_accident_over_the_whole_window_settles_it(message: str) -> None:
    turn, _ = run("我们想申报绿色工厂", message)
    assert turn.filled_slots.get("accident_severity") == "无"


@pytest.mark.parametrize(("message", "met"), [("有效落实了国家政策", True), ("没有有效落实", False)])
def test_park_br1_colloquial_policy_implementation(message: str, met: bool) -> None:
    turn, _ = run("我们想申报绿色园区", message)
    assert turn.filled_slots.get("BR1") is met


@pytest.mark.parametrize("reply", ["不知道有没有事故", "有没有事故我不清楚", "是不是重大事故不好说"])
def test_not_knowing_whether_there_was_an_accident_is_no_no(reply: str) -> None:
    turn, state = run("我们想申报绿色园区", "国家级", reply)
    assert turn.intent == "eligibility"
    assert "accident_severity" not in turn.filled_slots
    assert "BR2" in state.profiles["park"].skipped


def test_short_reply_about_another_topic_is_no_answer() -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", "供应商不多")
    assert "BR1" not in turn.filled_slots  # was read as "not an independent legal person"
    assert turn.verdict is not None and turn.verdict.check("BR1").status == "unknown"


@pytest.mark.parametrize("reply", ["没呢", "还没有呢"])
def test_colloquial_not_yet_answers_no(reply: str) -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", reply)
    assert turn.filled_slots.get("BR1") is False


@pytest.mark.parametrize(
    ("message", "requirement", "met"),
    [
        ("供应商不多", "BR4", False),
        ("供应商数量不少", "BR4", True),
        ("还没有制定绿色供应链的目标和计划", "BR7", False),
    ],
)
def test_supply_chain_colloquial_cues(message: str, requirement: str, met: bool) -> None:
    turn, _ = run("我们想申报绿色供应链管理企业", message)
    assert turn.intent == "eligibility" and turn.filled_slots.get(requirement) is met


@pytest.mark.parametrize(
    ("message", "met"),
    [
        ("园区重点企业清洁生产审核只做了一半", False),
        ("重点企业清洁生产审核完成率80%", False),
        ("大部分重点企业做了清洁生产审核", False),
        ("重点企业100%完成了清洁生产审核", True),
        ("重点企业都做了清洁生产审核", True),
    ],
)
def test_park_br4_needs_all_key_enterprises_audited(message: str, met: bool) -> None:
    turn, _ = run("我们想申报绿色园区", message)
    assert turn.filled_slots.get("BR4") is met


def test_park_br4_bare_answer_with_a_share_below_100() -> None:
    turn, state = run("我们想申报绿色园区", "国家级", "没有事故", "是的", "有专门机构，2名专职", "有效落实了")
    turn, state = run("环境质量达标，企业达标排放", state=state)
    assert "BR4" in turn.asked_for
    turn, _ = run("做了80%", state=state)
    assert turn.filled_slots.get("BR4") is False
