"""The built-in clause-split documents and the QA dev dataset."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from knowledge_base.documents import (
    DOCUMENTS_ROOT,
    document_paths,
    glossary_terms,
    load_documents,
    parse_documents,
)
from knowledge_base.documents.model import Clause
from knowledge_base.documents.parser import parse_document
from knowledge_base.errors import KnowledgeBaseError

QA_DEV = Path(__file__).resolve().parents[1] / "evals" / "datasets" / "qa_dev.yaml"
SEED_NOTICE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_79351afb1b1ab422.txt"

_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub("", text)


@pytest.fixture(scope="module")
def clauses() -> list[Clause]:
    return load_documents()


@pytest.fixture(scope="module")
def by_doc(clauses: list[Clause]) -> dict[str, dict[str, Clause]]:
    grouped: dict[str, dict[str, Clause]] = {}
    for clause in clauses:
        grouped.setdefault(clause.doc_id, {})[clause.clause] = clause
    return grouped


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_FRONT = "---\ndoc_id: demo\ndoc: 演示文件\ntitle: 演示\nedition: E2016\nsource: test\n---\n"


# --- every built-in document parses, ids are unique and stable ---------------------------------


def test_every_document_parses_with_clauses() -> None:
    documents = parse_documents()
    assert len(documents) == len(document_paths())
    for document in documents:
        assert document.clauses, document.meta.doc_id
        for clause in document.clauses:
            assert clause.text.strip()
            assert clause.doc == document.meta.doc
            assert clause.edition


def test_clause_ids_unique_within_each_document(clauses: list[Clause]) -> None:
    counts = Counter((clause.doc_id, clause.clause) for clause in clauses)
    assert [key for key, count in counts.items() if count > 1] == []


def test_expected_documents_exist(by_doc: dict[str, dict[str, Clause]]) -> None:
    for doc_id in ("notice-586", "attachment-1", "attachment-2", "attachment-3"):
        assert doc_id in by_doc


@pytest.mark.parametrize(
    ("doc_id", "clause_id"),
    [
        ("notice-586", "一"),
        ("notice-586", "四（二）"),
        ("notice-586", "五（五）"),
        ("notice-586", "勘误-GB/T32161"),
        ("attachment-1", "BR-02"),
        ("attachment-1", "E16-INF-01"),
        ("attachment-1", "G18-MS-05"),
        ("attachment-2", "EG1"),
        ("attachment-2", "MG3"),
        ("attachment-2", "BR6"),
        ("attachment-3", "X26"),
        ("attachment-3", "BR7"),
        ("attachment-3", "X64"),
    ],
)
def test_spot_check_stable_clause_ids(
    by_doc: dict[str, dict[str, Clause]], doc_id: str, clause_id: str
) -> None:
    assert clause_id in by_doc[doc_id]


def test_all_reference_rule_ids_present(by_doc: dict[str, dict[str, Clause]]) -> None:
    factory = by_doc["attachment-1"]
    assert {f"BR-0{n}" for n in range(1, 9)} <= factory.keys()
    park = by_doc["attachment-2"]
    park_codes = {f"EG{n}" for n in range(1, 4)} | {f"RG{n}" for n in range(1, 9)}
    park_codes |= {f"IG{n}" for n in range(1, 6)} | {f"CG{n}" for n in range(1, 5)}
    park_codes |= {f"HG{n}" for n in range(1, 9)} | {f"MG{n}" for n in range(1, 4)}
    assert len(park_codes) == 31
    assert park_codes <= park.keys()
    assert {f"BR{n}" for n in range(1, 9)} <= park.keys()
    chain = by_doc["attachment-3"]
    chain_codes = {"X11", "X12", "X13", "X21", "X22", "X23", "X24", "X25", "X26", "X31", "X32"}
    chain_codes |= {"X41", "X42", "X43", "X44", "X51", "X61", "X62", "X63", "X64"}
    assert chain_codes <= chain.keys()
    assert {f"BR{n}" for n in range(1, 8)} <= chain.keys()


def test_heading_path_is_title(by_doc: dict[str, dict[str, Clause]]) -> None:
    assert by_doc["notice-586"]["四（二）"].title == "四、建设内容 > （二）绿色产品"
    assert by_doc["notice-586"]["一"].title == "一、总体思路"


# --- notice preserved as published + correction clause ---------------------------------------


def test_notice_text_preserved_as_published(by_doc: dict[str, dict[str, Clause]]) -> None:
    notice = by_doc["notice-586"]
    assert "GB/T32611" in notice["四（二）"].text
    assert "GB/T32163" in notice["四（二）"].text
    assert "GB/T 32161" not in notice["四（二）"].text
    seed = _norm(SEED_NOTICE.read_text(encoding="utf-8"))
    for clause in notice.values():
        if clause.edition == "编者注":
            continue
        for paragraph in clause.text.split("\n"):
            fragment = _norm(paragraph).removeprefix("附件：")
            assert fragment in seed, f"{clause.clause}: not in the seed: {paragraph[:40]}"


def test_notice_covers_whole_seed(by_doc: dict[str, dict[str, Clause]]) -> None:
    published = "".join(_norm(c.text) for c in by_doc["notice-586"].values() if c.edition != "编者注")
    seed = _norm(SEED_NOTICE.read_text(encoding="utf-8"))
    # section headings live in the clause titles, not in the clause text
    seed = re.sub(r"[一二三四五六]、(总体思路|建设原则|建设目标|建设内容|程序安排|保障措施)", "", seed)
    # every sentence of the seed appears in the knowledge-base notice
    for sentence in re.split(r"[。：]", seed):
        assert sentence.strip() in published, sentence[:40]


def test_correction_clause_states_right_standard(by_doc: dict[str, dict[str, Clause]]) -> None:
    correction = by_doc["notice-586"]["勘误-GB/T32161"]
    assert "GB/T 32161-2015" in correction.text
    assert "GB/T32611" in correction.text
    assert "非通知原文" in correction.text


# --- provenance ---------------------------------------------------------------------------------


def test_unconfirmed_clauses_exist_and_are_marked(by_doc: dict[str, dict[str, Clause]]) -> None:
    park = by_doc["attachment-2"]
    assert park["EG1"].confirmed is not True  # 引领值 not confirmed in the reference
    assert "待核实" in park["EG1"].text
    assert park["BR6"].confirmed is True
    chain = by_doc["attachment-3"]
    assert chain["X26"].confirmed is not True
    factory = by_doc["attachment-1"]
    assert factory["BR-02"].confirmed is True


# --- glossary ---------------------------------------------------------------------------------


def test_glossary_terms_cover_key_vocabulary() -> None:
    terms = glossary_terms()
    expected = ("绿色工厂", "一票否决", "单位产品综合能耗", "绿色供应链管理指数", "能源产出率")
    for term in (*expected, "低风险供应商占比"):
        assert term in terms
    assert len(terms) == len(set(terms))
    assert all(" " not in term and len(term) >= 2 for term in terms)


# --- broken documents fail clearly --------------------------------------------------------------


def test_broken_front_matter_names_file_and_field(tmp_path: Path) -> None:
    text = "---\ndoc_id: demo\ndoc: 演示\ntitle: 演示\nsource: x\n---\n# A {#A}\n正文\n"
    path = _write(tmp_path, "demo.md", text)
    with pytest.raises(KnowledgeBaseError) as err:
        parse_document(path)
    assert "demo.md" in str(err.value)
    assert "edition" in str(err.value)


def test_bad_confirmed_value_in_front_matter(tmp_path: Path) -> None:
    text = GOOD_FRONT.replace("source: test\n", "source: test\nconfirmed: maybe\n") + "# A {#A}\n正文\n"
    with pytest.raises(KnowledgeBaseError, match=r"demo\.md.*confirmed"):
        parse_document(_write(tmp_path, "demo.md", text))


def test_unknown_front_matter_field_rejected(tmp_path: Path) -> None:
    text = GOOD_FRONT.replace("source: test\n", "source: test\nauthor: x\n") + "# A {#A}\n正文\n"
    with pytest.raises(KnowledgeBaseError, match=r"demo\.md.*author"):
        parse_document(_write(tmp_path, "demo.md", text))


def test_missing_front_matter(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"demo\.md.*front-matter"):
        parse_document(_write(tmp_path, "demo.md", "# A {#A}\n正文\n"))


def test_front_matter_yaml_error_names_file(tmp_path: Path) -> None:
    text = "---\ndoc_id: [demo\n---\n# A {#A}\n正文\n"
    with pytest.raises(KnowledgeBaseError, match=r"demo\.md"):
        parse_document(_write(tmp_path, "demo.md", text))


def test_doc_id_must_match_file_name(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"other\.md.*doc_id"):
        parse_document(_write(tmp_path, "other.md", GOOD_FRONT + "# A {#A}\n正文\n"))


def test_duplicate_clause_id_names_file_and_id(tmp_path: Path) -> None:
    text = GOOD_FRONT + "# 甲 {#X1}\n正文一\n# 乙 {#X1}\n正文二\n"
    with pytest.raises(KnowledgeBaseError) as err:
        parse_document(_write(tmp_path, "demo.md", text))
    assert "demo.md" in str(err.value)
    assert "'X1'" in str(err.value)


def test_text_outside_clause_rejected(tmp_path: Path) -> None:
    text = GOOD_FRONT + "# 分组标题\n游离的正文\n"
    with pytest.raises(KnowledgeBaseError, match=r"demo\.md:\d+: text outside a clause"):
        parse_document(_write(tmp_path, "demo.md", text))


def test_empty_clause_and_bad_attribute_rejected(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="has no text"):
        parse_document(_write(tmp_path, "demo.md", GOOD_FRONT + "# 甲 {#A}\n# 乙 {#B}\n正文\n"))
    with pytest.raises(KnowledgeBaseError, match="confirmed must be"):
        parse_document(_write(tmp_path, "demo.md", GOOD_FRONT + "# 甲 {#A confirmed=maybe}\n正文\n"))
    with pytest.raises(KnowledgeBaseError, match="unknown clause attribute"):
        parse_document(_write(tmp_path, "demo.md", GOOD_FRONT + "# 甲 {#A weight=3}\n正文\n"))


def test_clause_attributes_and_heading_path(tmp_path: Path) -> None:
    text = GOOD_FRONT + (
        "# 一、总则\n## （一）定义 {#一（一）}\n**绿色供应链**是……\n\n第二段。\n"
        "## X26 低风险供应商占比 {#X26 confirmed=false edition=E2024}\n"
        "| 指标 | 分值 |\n| --- | --- |\n| X26 | 4 |\n"
    )
    parsed = parse_document(_write(tmp_path, "demo.md", text))
    first, second = parsed.clauses
    assert first.clause == "一（一）"
    assert first.title == "一、总则 > （一）定义"
    assert first.text == "绿色供应链是……\n\n第二段。"
    assert first.confirmed is True and first.edition == "E2016"
    assert second.confirmed is False and second.edition == "E2024"
    assert second.text.splitlines()[0] == "| 指标 | 分值 |"
    assert "绿色供应链" in parsed.terms


def test_duplicate_doc_id_across_files(tmp_path: Path) -> None:
    _write(tmp_path, "demo.md", GOOD_FRONT + "# A {#A}\n正文\n")
    (tmp_path / "sub").mkdir()
    assert len(load_documents(tmp_path)) == 1
    shutil.copy(tmp_path / "demo.md", tmp_path / "demo2.md")
    with pytest.raises(KnowledgeBaseError, match=r"demo2\.md"):
        load_documents(tmp_path)


def test_builtin_root_is_package_folder() -> None:
    assert DOCUMENTS_ROOT.is_dir()
    assert all(path.parent == DOCUMENTS_ROOT for path in document_paths())


# --- the QA dev dataset -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qa_items() -> list[dict]:
    data = yaml.safe_load(QA_DEV.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("questions"), list)
    return data["questions"]


def test_qa_dev_shape(qa_items: list[dict]) -> None:
    assert len(qa_items) >= 90
    ids = [item["id"] for item in qa_items]
    assert len(ids) == len(set(ids))
    out_of_scope = [item for item in qa_items if item.get("answerable") is False]
    assert 6 <= len(out_of_scope) <= 12
    for item in qa_items:
        assert item["question"].strip() and item["topic"].strip()
        if item.get("answerable", True):
            assert item["expected_doc"] and item["key_fact"]


def test_qa_dev_covers_every_area(qa_items: list[dict]) -> None:
    docs = Counter(item.get("expected_doc") for item in qa_items if item.get("answerable", True))
    for doc_id in ("notice-586", "attachment-1", "attachment-2", "attachment-3"):
        assert docs[doc_id] >= 8, doc_id


def test_qa_dev_key_facts_occur_in_expected_passage(
    qa_items: list[dict], by_doc: dict[str, dict[str, Clause]]
) -> None:
    problems = []
    for item in qa_items:
        if not item.get("answerable", True):
            continue
        document = by_doc.get(item["expected_doc"])
        if document is None:
            problems.append(f"{item['id']}: unknown doc {item['expected_doc']}")
            continue
        key = _norm(item["key_fact"])
        clause_id = item.get("expected_clause")
        if clause_id:
            if clause_id not in document:
                problems.append(f"{item['id']}: unknown clause {clause_id}")
            elif key not in _norm(document[clause_id].text):
                problems.append(f"{item['id']}: key_fact not in {clause_id}")
        elif not any(key in _norm(clause.text) for clause in document.values()):
            problems.append(f"{item['id']}: key_fact not in {item['expected_doc']}")
    assert problems == []


def test_qa_dev_questions_do_not_copy_key_fact(qa_items: list[dict]) -> None:
    copied = [
        item["id"]
        for item in qa_items
        if item.get("answerable", True)
        and len(item["key_fact"]) >= 8
        and item["key_fact"] in item["question"]
    ]
    assert copied == []
