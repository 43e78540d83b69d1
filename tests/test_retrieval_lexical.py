"""Tokenisation with the knowledge-base user dictionary, and BM25 ranking."""

from __future__ import annotations

import jieba
import pytest

from retrieval.lexical import BM25Index, ChineseTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> ChineseTokenizer:
    return ChineseTokenizer(["单位产品综合能耗", "绿色供应链", "绿色供应链管理企业"])


def test_user_terms_stay_whole(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("单位产品综合能耗应达到行业先进水平，绿色供应链管理企业应……")
    assert "单位产品综合能耗" in tokens
    assert "绿色供应链" in tokens
    assert "绿色供应链管理企业" in tokens
    assert "能耗" in tokens  # search-mode sub-words keep partial queries matching


def test_stopwords_and_punctuation_removed(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("我们去年出过一次环保事故，还能报绿色工厂吗？")
    assert not {"我们", "吗", "，", "？", "还"} & set(tokens)
    assert {"环保", "事故"} <= set(tokens)


def test_private_tokenizer_leaves_global_jieba_alone(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer._jieba is not jieba.dt
    assert "单位产品综合能耗" not in jieba.dt.FREQ or jieba.dt.FREQ.get("单位产品综合能耗") is None


def test_bm25_ranks_matching_passage_first(tokenizer: ChineseTokenizer) -> None:
    passages = ["绿色工厂应具备基础设施。", "单位产品综合能耗达到行业先进水平。", "绿色园区应完善公共服务。"]
    index = BM25Index(tokenizer.tokenize_many(passages))
    top = index.top(tokenizer.tokenize("综合能耗"), 3)
    assert top[0][0] == 1
    assert all(score > 0 for _, score in top)
    assert index.top([], 3) == []
    assert index.top(tokenizer.tokenize("完全无关的词汇火星"), 3) == []


def test_empty_index() -> None:
    assert BM25Index([]).top(["绿色"], 5) == []


def test_ids_stay_whole_and_match_in_any_case() -> None:
    tokenizer = ChineseTokenizer(["X2", "X26", "BR-02", "G18-INF-01"])
    assert tokenizer.tokenize("X26低风险供应商占比")[0] == "x26"
    assert "x2" not in tokenizer.tokenize("X26 的分值")  # not also the other indicator X2
    assert tokenizer.tokenize("X2 和 X26") == ["x2", "x26"]  # two ids written side by side both count
    assert tokenizer.tokenize("br-02") == tokenizer.tokenize("BR-02") == ["br-02"]
    assert tokenizer.tokenize("g18-inf-01 几分")[0] == "g18-inf-01"
