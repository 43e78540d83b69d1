"""The immutable KnowledgeBase: every data area loaded and validated once, on first access."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledge_base import KB_ROOT

DATA_SUFFIXES = {".yaml", ".yml", ".md", ".txt", ".json"}


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path = field(default=KB_ROOT)

    def data_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES)

    def content_hash(self) -> str:
        """Hash of every data file (path + bytes): the retrieval index rebuilds when it changes."""
        digest = hashlib.sha256()
        for path in self.data_files():
            digest.update(str(path.relative_to(self.root)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


@lru_cache(maxsize=4)
def get_knowledge_base(root: Path = KB_ROOT) -> KnowledgeBase:
    return KnowledgeBase(root=root)
