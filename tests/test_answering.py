"""Offline answer composition: sentence extraction, citation numbering, out-of-scope handling."""

from __future__ import annotations

import re

import pytest

from assistant.answering import (
    RELEVANCE_THRESHOLD,
    SUGGESTED_QUESTIONS,
    SUGGESTION_COUNT,
    answer_question,
    compose_answer,
)
from assistant.answering_text import domain_anchors, normalise, query_terms, sentence_spans, term_aliases
from knowledge_base.errors import InputError
from knowledge_base.provenance import UNCONFIRMED_LABEL
from retrieval.models import SearchHit

NOTICE = "工信厅节函〔2016〕586号"

# Passages as the retrieval layer returns them (texts from the notice, one from an attachment digest).
FACTORY = SearchHit(
    doc=NOTICE,
    clause="四（一）",
    title="四、建设内容 > （一）绿色工厂",
    text=(
        "（一）绿色工厂。绿色工厂是制造业的生产单元，是绿色制造的实施主体，属于绿色制造体系的核心支撑单元，"
        "侧重于生产过程的绿色化。加快创建具备用地集约化、生产洁净化、废物资源化、能源低碳化等特点的绿色工厂。"
        "到2020年，创建1000家绿色示范工厂。"
    ),
    score=0.9,
)
TARGETS = SearchHit(
    doc=NOTICE,
    clause="三",
    title="三、建设目标",
    text=(
        "全面统筹推进绿色制造体系建设，到2020年，绿色制造体系初步建立，绿色制造相关标准体系和评价体系基本建成，"
        "在重点行业出台100项绿色设计产品评价标准、10-20项绿色工厂标准，建立绿色园区、绿色供应链标准，"
        "发布绿色制造第三方评价实施规则、程序，制定第三方评价机构管理办法，遴选一批第三方评价机构，"
        "建设百家绿色园区和千家绿色工厂，开发万种绿色产品，创建绿色供应链，绿色制造市场化推进机制基本形成，"
        "制造业绿色发展和主要产品单耗达到世界先进水平，绿色制造体系初步建立。"
    ),
    score=0.7,
)
PARK = SearchHit(
    doc=NOTICE,
    clause="四（三）",
    title="四、建设内容 > （三）绿色园区",
    text=(
        "（三）绿色园区。绿色园区是突出绿色理念和要求的生产企业和基础设施集聚的平台，"
        "侧重于园区内工厂之间的统筹管理和协同链接。\n"
        "推动园区绿色化，要在园区规划、空间布局、产业链设计、能源利用、资源利用、基础设施、生态环境、"
        "运行管理等方面贯彻资源节约和环境友好理念。"
    ),
    score=0.5,
)
TABLE = SearchHit(
    doc="附件2 绿色园区评价要求",
    clause="EG1",
    title="评价指标 > 能源利用绿色化指标",
    text="指标 | 单位 | 引领值\n能源产出率 | 万元/吨标煤 | 3\n可再生能源使用比例 | % | 15",
    score=0.4,
    confirmed="partial",
)
HITS = [FACTORY, TARGETS, PARK]

_MARKER = re.compile(r"\[(\d+)\](?:（" + UNCONFIRMED_LABEL + "）)?")


def _cited_sentences(answer_text: str) -> list[tuple[str, int]]:
    """Split the answer into (sentence, citation number) pairs; every line must end with a marker."""
    pairs = []
    for line in answer_text.splitlines():
        match = _MARKER.search(line)
        assert match and line.endswith(match.group(0)), f"line without a trailing citation: {line!r}"
        pairs.append((line[: match.start()], int(match.group(1))))
    return pairs


def test_sentence_spans_cut_at_chinese_sentence_ends_and_keep_table_rows() -> None:
    text = "第一句。第二句；第三句！\n指标 | 单位\n能源产出率 | 万元/吨标煤\n软换行的\n句子继续。"
    pieces = [text[s.start : s.end] for s in sentence_spans(text)]
    assert pieces == [
        "第一句。",
        "第二句；",
        "第三句！",
        "指标 | 单位",
        "能源产出率 | 万元/吨标煤",
        "软换行的\n句子继续。",
    ]


def test_sentence_spans_do_not_cut_inside_brackets_or_table_rows() -> None:
    text = (
        "BR-03（基本要求，一票否决；不计分）：近三年无较大事故。\n"
        "| 文号 | 名单；工厂 719 家 |\n未闭合（括号；照常切分。"
    )
    pieces = [text[s.start : s.end] for s in sentence_spans(text)]
    assert pieces == [
        "BR-03（基本要求，一票否决；不计分）：近三年无较大事故。",
        "| 文号 | 名单；工厂 719 家 |",
        "未闭合（括号；",
        "照常切分。",
    ]


def test_query_terms_drop_function_words_and_weight_domain_words() -> None:
    terms = {term.text: term.weight for term in query_terms("我们去年出过一次环保事故还能报绿色工厂吗")}
    assert "我们" not in terms and "吗" not in terms and "还" not in terms
    assert {"环保", "事故", "工厂"} <= set(terms)
    assert terms["工厂"] > terms.get("报", 0.0)


def test_answer_cites_numbered_passages_consistently() -> None:
    answer = compose_answer("绿色工厂是什么？有什么特点？", HITS)
    assert answer.confidence >= RELEVANCE_THRESHOLD
    pairs = _cited_sentences(answer.answer)
    assert 1 <= len(pairs) <= 4
    numbers = [number for _, number in pairs]
    assert set(numbers) == set(range(1, len(answer.citations) + 1)), "all citations used, none dangling"
    assert numbers == sorted(numbers), "citations are numbered in order of first appearance"
    for sentence, number in pairs:
        citation = answer.citations[number - 1]
        assert normalise(sentence) in normalise(citation.text), "the cited sentence occurs in its passage"
    first = answer.citations[0]
    assert (first.doc, first.clause, first.title, first.text) == (
        FACTORY.doc,
        FACTORY.clause,
        FACTORY.title,
        FACTORY.text,
    )
    assert "绿色工厂是制造业的生产单元" in answer.answer


def test_answer_draws_on_several_passages_when_the_question_spans_them() -> None:
    answer = compose_answer("到2020年要建设多少家绿色园区和绿色工厂？", HITS)
    pairs = _cited_sentences(answer.answer)
    cited_clauses = {answer.citations[number - 1].clause for _, number in pairs}
    assert "三" in cited_clauses
    assert "百家绿色园区和千家绿色工厂" in answer.answer


def test_a_sentence_that_only_repeats_the_heading_is_not_an_answer() -> None:
    answer = compose_answer("绿色园区是什么？", [PARK])
    assert "绿色园区是突出绿色理念和要求的生产企业和基础设施集聚的平台" in answer.answer
    assert not any(line.startswith("（三）绿色园区。") for line in answer.answer.splitlines())


def test_table_row_is_an_answer_sentence_and_unconfirmed_passage_is_flagged() -> None:
    answer = compose_answer("绿色园区的可再生能源使用比例引领值是多少", [TABLE, PARK])
    assert "可再生能源使用比例 | % | 15" in answer.answer
    table_number = next(i for i, c in enumerate(answer.citations, 1) if c.clause == "EG1")
    assert f"[{table_number}]（{UNCONFIRMED_LABEL}）" in answer.answer
    assert answer.citations[table_number - 1].confirmed == "partial"


@pytest.mark.parametrize("question", ["今天北京天气怎么样？", "帮我推荐几只能涨的股票", "明天会下雨吗"])
def test_out_of_scope_question_gets_no_relevant_answer_with_suggestions(question: str) -> None:
    answer = compose_answer(question, HITS)
    assert answer.confidence < RELEVANCE_THRESHOLD
    assert answer.citations == []
    assert "没有找到" in answer.answer
    suggested = [line for line in answer.answer.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(suggested) == SUGGESTION_COUNT
    assert all(line.split(". ", 1)[1] in SUGGESTED_QUESTIONS for line in suggested)
    assert "绿色工厂是制造业" not in answer.answer, "nothing from the passages is passed off as an answer"


EVIDENCE_LIST = SearchHit(
    doc="绿色工厂自评价报告",
    clause="证明材料",
    title="绿色工厂自评价报告 > 证明材料清单示例",
    text="常见证明材料：营业执照，立项、环评批复、节能评估审查意见，建设工程规划许可证、施工许可证等。",
    score=0.9,
)


def test_domain_anchors_are_the_programme_vocabulary_of_the_question() -> None:
    assert domain_anchors("营业执照怎么办？", query_terms("营业执照怎么办？")) == []
    assert domain_anchors("怎么注册公司？", query_terms("怎么注册公司？")) == []
    assert "园区" in domain_anchors("园区要几个专职人员？", query_terms("园区要几个专职人员？"))
    # a glossary term of the documents anchors the question even when jieba splits it
    assert "取水定额" in domain_anchors("没出取水定额怎么办？", query_terms("没出取水定额怎么办？"))


def test_a_passing_mention_does_not_answer_an_off_programme_question() -> None:
    off_target = compose_answer("营业执照怎么办？", [EVIDENCE_LIST])
    assert off_target.confidence < RELEVANCE_THRESHOLD and off_target.citations == []
    on_target = compose_answer("申报绿色工厂要准备营业执照吗？", [EVIDENCE_LIST])
    assert on_target.confidence >= RELEVANCE_THRESHOLD and on_target.citations


LEADERSHIP = SearchHit(
    doc="绿色工厂评价要求",
    clause="BR-04",
    title="一、基本要求 > BR-04 最高管理者的领导作用和承诺",
    text="BR-04：最高管理者在绿色工厂方面的领导作用和承诺，对绿色工厂的有效性负责。",
    score=0.9,
)


def test_a_colloquial_word_is_covered_by_the_document_term_the_synonym_map_gives() -> None:
    assert "最高管理者" in term_aliases("老板")
    assert term_aliases("专利申请") == (), "whole-term matches only: 专利申请 is not 申请"
    answer = compose_answer("老板本人在绿色工厂这件事上要负什么责任？", [LEADERSHIP])
    assert answer.confidence >= RELEVANCE_THRESHOLD
    assert "最高管理者" in answer.answer and answer.citations[0].clause == "BR-04"


def test_no_passages_means_no_relevant_answer() -> None:
    answer = compose_answer("绿色工厂的基本要求有哪些？", [])
    assert answer.citations == [] and answer.confidence == 0.0
    assert "没有找到" in answer.answer


def test_composition_is_deterministic() -> None:
    question = "绿色园区侧重什么？推动园区绿色化要在哪些方面贯彻理念？"
    first = compose_answer(question, HITS)
    assert all(compose_answer(question, HITS) == first for _ in range(3))


@pytest.mark.parametrize("question", ["", "   \n", "问" * 2001])
def test_empty_or_too_long_question_is_an_input_error(question: str) -> None:
    with pytest.raises(InputError):
        answer_question(question)


# ---------------------------------------------------------------- with the real knowledge base and index


@pytest.fixture(scope="module")
def service():
    from retrieval.service import get_search_service

    return get_search_service()


def test_suggested_questions_are_answered_from_the_knowledge_base(service) -> None:
    for question in SUGGESTED_QUESTIONS:
        answer = answer_question(question, service=service)
        assert answer.confidence >= RELEVANCE_THRESHOLD, question
        assert answer.citations, question
        for sentence, number in _cited_sentences(answer.answer):
            assert normalise(sentence) in normalise(answer.citations[number - 1].text)


def test_colloquial_question_is_answered_with_the_basic_requirement_clause(service) -> None:
    answer = answer_question("我们去年出过一次环保事故还能报绿色工厂吗", service=service)
    assert answer.confidence >= RELEVANCE_THRESHOLD
    assert "事故" in answer.answer
    assert any(citation.clause == "BR-02" for citation in answer.citations)


@pytest.mark.parametrize("question", ["今天北京天气怎么样？", "股票怎么买", "推荐一部好看的电影"])
def test_out_of_scope_question_with_the_real_index(service, question: str) -> None:
    answer = answer_question(question, service=service)
    assert answer.confidence < RELEVANCE_THRESHOLD
    assert answer.citations == [] and "没有找到" in answer.answer


def test_real_answers_are_deterministic(service) -> None:
    question = "生态设计产品评价通则的标准号是什么"
    first = answer_question(question, service=service)
    assert answer_question(question, service=service) == first
    assert "32161" in first.answer


# Near-topic questions the knowledge base does not answer (licences, registrations, other programmes).
# The first ones are refused; the last ones still pass the threshold because the documents' evidence
# lists name the very licence asked about (remaining weakness). Refused: 7 of 20 before, 13 of 20 after.
NEAR_TOPIC_REFUSED = (
    "营业执照怎么办？",
    "排污许可证怎么申请？",
    "高新技术企业认定条件？",
    "出口退税怎么办理？",
    "工伤保险怎么缴纳？",
    "商标怎么注册？",
    "食品生产许可证申请流程？",
    "特种设备操作证怎么考？",
    "危险化学品经营许可证怎么申请？",
    "进口设备免税怎么申请？",
    "企业所得税汇算清缴怎么做？",
    "职业病体检多久做一次？",
    "专利申请流程是什么？",
)
NEAR_TOPIC_STILL_ANSWERED = (
    "怎么注册公司？",
    "工厂消防验收流程？",
    "安全生产许可证怎么办理？",
    "专精特新企业申报条件是什么？",
    "建设工程规划许可证怎么办？",
    "土地使用证怎么办理？",
    "环评批复需要准备哪些材料？",
)


@pytest.mark.parametrize("question", NEAR_TOPIC_REFUSED)
def test_near_topic_out_of_scope_question_is_refused(service, question: str) -> None:
    answer = answer_question(question, service=service)
    assert answer.confidence < RELEVANCE_THRESHOLD, answer.answer
    assert answer.citations == [] and "没有找到" in answer.answer


def test_most_near_topic_out_of_scope_questions_are_refused(service) -> None:
    questions = NEAR_TOPIC_REFUSED + NEAR_TOPIC_STILL_ANSWERED
    assert len(questions) >= 15
    refused = [q for q in questions if answer_question(q, service=service).confidence < RELEVANCE_THRESHOLD]
    assert len(refused) >= len(NEAR_TOPIC_REFUSED), sorted(set(questions) - set(refused))


WATER = SearchHit(
    doc="附件2 绿色园区评价要求",
    clause="RG1",
    title="评价指标 > RG1 水资源产出率",
    text=(
        "RG1（序号 4，资源利用绿色化指标）水资源产出率。单位：元/m3。\n"
        "计算方法：园区工业增加值 ÷ 工业新鲜水用量（m3）。\n"
        "数据来源：供水与自备水记录。"
    ),
    score=0.9,
    confirmed="partial",
)


def test_the_best_passage_is_read_on_after_its_best_sentence() -> None:
    # the formula sentence shares no word with the question; it follows the matched sentence
    answer = compose_answer("水资源产出率是拿什么除以什么？", [WATER, PARK])
    assert "园区工业增加值 ÷ 工业新鲜水用量" in answer.answer
    pairs = _cited_sentences(answer.answer)
    assert pairs[0][1] == 1 and answer.citations[0].clause == "RG1"
    lines = answer.answer.splitlines()
    formula = next(i for i, line in enumerate(lines) if "工业新鲜水用量" in line)
    assert lines[formula].startswith("计算方法：")  # each sentence on its own line with its own marker
    assert all(pair[1] == 1 for pair in pairs[: formula + 1])


def test_lead_context_stays_inside_the_best_passage_and_its_budget() -> None:
    long_tail = "。".join(f"第{i}项说明文字较长用于占满篇幅" for i in range(60)) + "。"
    hit = SearchHit(
        doc=NOTICE,
        clause="X",
        title="指标 > 水资源产出率",
        text="水资源产出率的定义。" + long_tail,
        score=0.9,
    )
    answer = compose_answer("水资源产出率是什么", [hit, PARK])
    assert len(answer.answer) < len(hit.text)
    assert all(int(n) == 1 for _, n in _cited_sentences(answer.answer))
