"""The search service exposed as a LangChain ``BaseRetriever`` (hybrid by default)."""

from __future__ import annotations

from typing import Any, Protocol

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.models import SearchHit, SearchResponse


class _Searcher(Protocol):
    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> SearchResponse: ...


def hit_to_document(hit: SearchHit) -> Document:
    metadata = hit.model_dump(exclude={"text"})
    return Document(page_content=hit.text, metadata=metadata)


class HybridRetriever(BaseRetriever):
    """Returns the top ``k`` chunks as Documents whose metadata carry doc, clause, title, score, confirmed."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 5
    mode: str = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        response = self.searcher.search(query, k=self.k, mode=self.mode)
        return [hit_to_document(hit) for hit in response.results]
