"""LLM rewriting with LangChain fake chat models: only the text changes, and only when it is faithful."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field

from assistant.answer_models import Answer, Citation
from assistant.llm import AnswerRewriter, get_rewriter, polish_result, rephrase_for_retrieval
from knowledge_base.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]

CITATION = Citation(
    doc="工信厅节函〔2016〕586号 附件1",
    clause="BR-02",
    title="基本要求",
    text="近三年无较大及以上安全、环境污染事故。",
)
DRAFT = Answer(
    answer="近三年发生过较大及以上安全事故的工厂不能申报绿色工厂 [1]。",
    citations=[CITATION],
    confidence=0.8,
)


class VerdictTurn(BaseModel):
    """Stands in for any engine result with a rewritable text plus engine-owned fields."""

    reply: str
    verdict: dict[str, object] | None
    missing_facts: list[str] = Field(default_factory=list)
    total: float | None = None
    citations: list[Citation] = Field(default_factory=list)


def _rewriter(*responses: str) -> AnswerRewriter:
    return AnswerRewriter(FakeListChatModel(responses=list(responses)))


def test_faithful_rewrite_replaces_only_the_text() -> None:
    rewritten = "如果近三年发生过较大及以上安全事故，就不能申报绿色工厂 [1]。"
    result = polish_result(DRAFT, "answer", question="出过事故能报吗", rewriter=_rewriter(rewritten))
    assert result.answer == rewritten
    assert result.citations == DRAFT.citations
    assert result.confidence == DRAFT.confidence


def test_model_that_flips_the_verdict_falls_back() -> None:
    flipped = "即使近三年发生过较大及以上安全事故，也可以申报绿色工厂 [1]。"
    result = polish_result(DRAFT, "answer", rewriter=_rewriter(flipped))
    assert result == DRAFT


def test_model_that_invents_a_number_falls_back() -> None:
    invented = "近三年发生过较大及以上安全事故的工厂，需整改满 12 个月后才能申报绿色工厂 [1]。"
    assert polish_result(DRAFT, "answer", rewriter=_rewriter(invented)) == DRAFT


def test_model_that_drops_citations_falls_back() -> None:
    no_markers = "发生过较大事故的工厂不能申报绿色工厂。"
    assert polish_result(DRAFT, "answer", rewriter=_rewriter(no_markers)) == DRAFT


def test_engine_fields_are_never_touched_even_when_text_is_rewritten() -> None:
    turn = VerdictTurn(
        reply="结论：不符合，缺少 BR-01、BR-02 的证明 [1]。",
        verdict={"verdict": "not_eligible", "missing_facts": ["BR-01"]},
        missing_facts=["BR-01", "BR-02"],
        total=62.5,
        citations=[CITATION],
    )
    faithful = "结论是不符合：还缺少 BR-01 和 BR-02 的证明 [1]。"
    accepted = polish_result(turn, "reply", rewriter=_rewriter(faithful))
    assert accepted.reply != turn.reply
    assert accepted.model_dump(exclude={"reply"}) == turn.model_dump(exclude={"reply"})
    flipped = polish_result(turn, "reply", rewriter=_rewriter("结论：符合，材料齐全 [1]。"))
    assert flipped == turn


def test_provider_error_falls_back() -> None:
    class Exploding(FakeListChatModel):
        def _call(self, *args: object, **kwargs: object) -> str:
            raise TimeoutError("provider timed out")

    result = polish_result(DRAFT, "answer", rewriter=AnswerRewriter(Exploding(responses=["x"])))
    assert result == DRAFT


def test_message_content_blocks_are_read() -> None:
    text = "近三年发生过较大及以上安全事故，不能申报绿色工厂 [1]。"
    blocks = AIMessage(content=[{"type": "text", "text": text}])
    rewriter = AnswerRewriter(GenericFakeChatModel(messages=iter([blocks])))
    assert polish_result(DRAFT, "answer", rewriter=rewriter).answer.startswith("近三年发生过较大")


def test_query_rephrasing_is_guarded() -> None:
    assert rephrase_for_retrieval("X26 回收率要多少", rewriter=_rewriter("X26 废弃产品回收率要求")) == (
        "X26 废弃产品回收率要求"
    )
    assert rephrase_for_retrieval("X26 回收率要多少", rewriter=_rewriter("回收率要求")) == "X26 回收率要多少"


def test_no_llm_settings_means_no_rewriter() -> None:
    assert get_rewriter(Settings(llm_base_url=None, llm_model=None)) is None
    assert polish_result(DRAFT, "answer", settings=Settings(llm_base_url=None, llm_model=None)) is DRAFT


def test_llm_settings_build_a_chat_openai_model_lazily() -> None:
    settings = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="local-model", llm_api_key=None)
    rewriter = get_rewriter(settings)
    assert rewriter is not None
    assert type(rewriter.model).__name__ == "ChatOpenAI"
    # Port 9 (discard) refuses connections: the provider error must fall back to the offline draft.
    assert polish_result(DRAFT, "answer", rewriter=rewriter) == DRAFT


def test_without_llm_settings_langchain_openai_is_never_imported() -> None:
    script = (
        "import json, sys\n"
        "from assistant.answer_models import Answer\n"
        "from assistant.llm import polish_result\n"
        "import ui.api.app\n"
        "a = Answer(answer='x [1]', citations=[], confidence=0.5)\n"
        "assert polish_result(a, 'answer') is a\n"
        "print(json.dumps(sorted(m for m in sys.modules if 'openai' in m)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENMFG_LLM_")}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
