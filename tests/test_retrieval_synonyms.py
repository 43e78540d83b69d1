"""The domain synonym map: validated data, expansion rules, and its effect on lexical search."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.documents import load_documents
from knowledge_base.documents.model import Clause
from knowledge_base.errors import KnowledgeBaseError
from knowledge_base.retrieval.synonyms import (
    SynonymGroup,
    SynonymMap,
    load_synonyms,
    load_synonyms_from,
    match_form,
)
from knowledge_base.settings import Settings
from retrieval.chunking import chunk_clauses
from retrieval.service import SearchService


def test_shipped_map_loads_and_sources_exist() -> None:
    synonyms = load_synonyms()
    assert len(synonyms.groups) >= 20
    clauses = {(clause.doc_id, clause.clause) for clause in load_documents()}
    for group in synonyms.groups:
        if group.source is not None:
            assert (group.source.doc_id, group.source.clause) in clauses, group.id


def test_added_terms_occur_in_the_documents() -> None:
    """An added term nobody wrote can never match: every `add` term must occur in some built-in passage."""
    corpus = match_form(" ".join(chunk.search_text for chunk in chunk_clauses(load_documents())))
    absent = [
        (group.id, term)
        for group in load_synonyms().groups
        for term in group.add
        if match_form(term) not in corpus
    ]
    assert not absent


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("申报绿色供应链对企业赚钱能力有要求吗", "盈利能力"),
        ("我们是县里的工业园区", "县级"),
        ("公司被列成老赖了", "失信被执行人"),
        ("建了ISO14001体系", "GB/T 24001"),
        ("建了 iso 14001 体系", "GB/T 24001"),
        ("ＩＳＯ５０００１认证", "GB/T 23331"),
        ("有OHSAS 18001证书", "GB/T 45001"),
        ("环保局来查过", "生态环境"),
        ("这项怎么打分", "评分"),
        ("有什么门槛", "基本要求"),
    ],
)
def test_colloquial_terms_expand_to_document_terms(query: str, expected: str) -> None:
    assert expected in load_synonyms().expansions(query)


def test_expansion_skips_terms_already_in_the_query_and_repeats() -> None:
    synonyms = SynonymMap(
        version=1,
        groups=[
            SynonymGroup(id="a", when=["打分"], add=["评分", "得分"]),
            SynonymGroup(id="b", when=["分数"], add=["得分"]),
        ],
    )
    assert synonyms.expansions("评分和打分和分数") == ["得分"]
    assert synonyms.expansions("完全无关") == []


def test_broken_file_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("version: 1\ngroups:\n  - id: ok\n    when: [老赖]\n    add: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_synonyms_from(path)
    assert "synonyms.yaml" in str(error.value) and "groups.0.add" in str(error.value)
    path.write_text(
        "version: 1\ngroups:\n  - {id: a, when: [x], add: [y]}\n  - {id: a, when: [z], add: [w]}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="duplicate group id"):
        load_synonyms_from(path)
    path.write_text("version: 1\ngroups:\n  - {id: a, when: [1], add: [y]}\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"groups\.0\.when\.0"):
        load_synonyms_from(path)


def _service(tmp_path: Path, synonyms: SynonymMap | None) -> SearchService:
    clauses = [
        Clause(
            doc_id="a3",
            doc="附件3",
            clause="BR6",
            title="基本要求 > BR6 财务与盈利能力",
            text="企业盈利能力良好。",
        ),
        Clause(
            doc_id="a3", doc="附件3", clause="BR4", title="基本要求 > BR4 供应商基础", text="供应商数量较多。"
        ),
        Clause(doc_id="a1", doc="附件1", clause="X1", title="指标 > X1", text="企业应制定管理目标。"),
    ]
    return SearchService(
        Settings(home=tmp_path, chroma_url=None),
        clause_source=lambda: clauses,
        terms_source=lambda: ["盈利能力"],
        kb_hash_source=lambda: "syn",
        embedder=_NoDense(),
        synonyms=synonyms,
    )


class _NoDense:
    """Stands in where dense search is not used (bm25 mode); embeds passages as constant vectors."""

    name = "constant"
    dimension = 4

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))

    embed_queries = embed_passages


def test_lexical_search_finds_the_formal_term_only_with_expansion(tmp_path: Path) -> None:
    query = "我们赚钱不多有影响吗"
    without = _service(tmp_path / "off", None).search(query, k=3, mode="bm25")
    assert all(hit.clause != "BR6" for hit in without.results)
    expanded = _service(tmp_path / "on", load_synonyms()).search(query, k=3, mode="bm25")
    assert expanded.results[0].clause == "BR6"
