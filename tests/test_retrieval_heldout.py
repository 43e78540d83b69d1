"""The held-out QA set is well-formed and distinct from qa_dev; the two-dataset runner works end to end."""

from __future__ import annotations

from pathlib import Path

from evals.heldout_eval import HELDOUT_DATASET, main, percentile, run
from evals.retrieval_eval import DEFAULT_DATASET, load_dataset, normalise_for_match
from knowledge_base.documents import load_documents


def test_heldout_key_facts_are_in_the_expected_clause() -> None:
    clauses = {(clause.doc_id, clause.clause): clause for clause in load_documents()}
    items = load_dataset(HELDOUT_DATASET).items
    answerable = [item for item in items if item.answerable]
    assert len(answerable) >= 40 and any(not item.answerable for item in items)
    assert len({item.id for item in items}) == len(items)
    for item in answerable:
        clause = clauses.get((item.expected_doc, item.expected_clause))
        assert clause is not None, f"{item.id}: no clause {item.expected_doc} {item.expected_clause}"
        assert normalise_for_match(item.key_fact or "") in normalise_for_match(clause.text), item.id


def test_heldout_questions_are_new() -> None:
    dev = {normalise_for_match(item.question) for item in load_dataset(DEFAULT_DATASET).items}
    heldout = [normalise_for_match(item.question) for item in load_dataset(HELDOUT_DATASET).items]
    assert not dev & set(heldout)


def test_percentile() -> None:
    values = [float(value) for value in range(1, 101)]
    assert percentile(values, 0.5) in (50.0, 51.0)
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0


def test_runner_on_two_fixture_datasets(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(
        "questions:\n- id: a1\n  question: 开展绿色制造体系建设的通知文号是什么？\n"
        "  key_fact: 工信厅节函〔2016〕586号\n",
        encoding="utf-8",
    )
    second.write_text(
        "questions:\n- id: b1\n  question: 公司被法院列为老赖了还能报绿色供应链吗？\n"
        "  key_fact: 失信被执行人\n"
        "- id: b2\n  question: 红烧肉怎么做？\n  answerable: false\n",
        encoding="utf-8",
    )
    report = run([first, second], include_naive=False)
    assert [r.answerable_questions for r in report.reports] == [1, 1]
    assert all(r.modes[0].recall["5"] == 1.0 for r in report.reports), [r.modes[0] for r in report.reports]
    assert report.search_latency.queries == 1
    assert report.search_latency.p50_ms <= report.search_latency.p95_ms
    assert main(["--dataset", str(first), "--no-naive"]) == 0
    assert "search latency" in capsys.readouterr().out
    assert main(["--dataset", str(tmp_path / "missing.yaml"), "--no-naive"]) == 2
