"""`greenmfg ask`: JSON shape, readable text with numbered citations, error exits."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from assistant.answering import compose_answer
from knowledge_base.provenance import UNCONFIRMED_LABEL
from retrieval.models import SearchHit
from ui.cli import answers
from ui.cli.common import EXIT_USER_ERROR


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    """Only this area's commands, so the test does not depend on the other areas' modules."""
    app = typer.Typer()
    eval_app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    answers.register(app, eval_app)
    return app


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    ("question", "needle"),
    [("", "为空"), ("   ", "为空"), ("绿" * 2001, "过长")],
)
def test_ask_rejects_empty_and_too_long_questions(
    cli: typer.Typer, runner: CliRunner, question: str, needle: str
) -> None:
    result = runner.invoke(cli, ["ask", question, "--json"])
    assert result.exit_code == EXIT_USER_ERROR
    assert needle in result.stderr and "error:" in result.stderr
    assert result.stdout == ""


def test_eval_retrieval_reports_a_missing_dataset(cli: typer.Typer, runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(cli, ["eval", "retrieval", "--dataset", str(tmp_path / "nope.yaml")])
    assert result.exit_code == EXIT_USER_ERROR
    assert "nope.yaml" in result.stderr


def test_text_rendering_lists_numbered_citations_below_the_answer() -> None:
    hits = [
        SearchHit(
            doc="工信厅节函〔2016〕586号",
            clause="四（三）",
            title="四、建设内容 > （三）绿色园区",
            text="（三）绿色园区。绿色园区是突出绿色理念和要求的生产企业和基础设施集聚的平台。",
            score=1.0,
        ),
        SearchHit(
            doc="附件2 绿色园区评价要求",
            clause="EG1",
            title="能源利用绿色化指标",
            text="能源产出率 | 万元/吨标煤 | 3",
            score=0.5,
            confirmed=False,
        ),
    ]
    answer = compose_answer("绿色园区是什么平台？能源产出率指标是多少？", hits)
    text = answers.render_answer(answer)
    answer_part, _, sources = text.partition("出处：")
    assert answer.answer in answer_part
    assert "[1] 工信厅节函〔2016〕586号 四（三） 四、建设内容 > （三）绿色园区" in sources
    assert f"[2] 附件2 绿色园区评价要求 EG1 能源利用绿色化指标（{UNCONFIRMED_LABEL}）" in sources
    assert json.loads(answer.model_dump_json())["citations"][1]["clause"] == "EG1"


def test_ask_json_has_the_contract_shape(cli: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "到2020年要建设多少家绿色工厂？", "--json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert {"answer", "citations", "confidence"} <= set(body)
    assert isinstance(body["answer"], str) and body["answer"]
    assert 0.0 <= body["confidence"] <= 1.0
    assert body["citations"], "an in-scope question is answered with citations"
    for citation in body["citations"]:
        assert {"doc", "clause", "title", "text"} <= set(citation)
        assert all(isinstance(citation[key], str) for key in ("doc", "clause", "title", "text"))
    assert "[1]" in body["answer"]


def test_ask_text_output_shows_numbered_sources(cli: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "绿色工厂的基本要求有哪些？"])
    assert result.exit_code == 0, result.stderr
    assert "出处：" in result.stdout and "\n[1] " in result.stdout
