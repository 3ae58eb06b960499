"""What an AgentOS knowledge base answers: contents, their processing status, search results.

Field names are agno's (``agno.os.routers.knowledge.schemas``); unknown keys are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentnb._model import WireModel
from agentnb.agentos.db_models import Page

__all__ = [
    "Content",
    "ContentPage",
    "ContentStatus",
    "KnowledgeConfig",
    "SearchResult",
    "SearchResultPage",
]

#: Statuses after which a content's processing will not change any more.
FINISHED_STATUSES = frozenset({"completed", "failed", "partial"})


class Content(WireModel):
    """One piece of content in a knowledge base (``ContentResponseSchema``).

    ``status`` is agno's: processing, completed, partial or failed. ``size`` is the server's
    text (bytes, as a string).
    """

    id: str
    name: str | None = None
    description: str | None = None
    type: str | None = None
    size: str | int | None = None
    linked_to: str | None = None
    metadata: dict[str, Any] | None = None
    access_count: int | None = None
    status: str | None = None
    status_message: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ContentStatus(WireModel):
    """``GET /knowledge/content/{id}/status``."""

    id: str | None = None
    status: str
    status_message: str | None = ""

    @property
    def finished(self) -> bool:
        """True once processing is over, successfully or not."""
        return self.status in FINISHED_STATUSES


class SearchResult(WireModel):
    """One chunk a knowledge search found (``VectorSearchResult``).

    ``score`` is the reranking score when the server reranked, else the vector distance score
    agno keeps in ``meta_data`` when there is one.
    """

    id: str | None = None
    content: str = ""
    name: str | None = None
    meta_data: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    reranking_score: float | None = None
    content_id: str | None = None
    content_origin: str | None = None
    size: int | None = None

    @property
    def score(self) -> float | None:
        if self.reranking_score is not None:
            return self.reranking_score
        for key in ("score", "similarity", "relevance_score"):
            value = (self.meta_data or {}).get(key)
            if isinstance(value, int | float):
                return float(value)
        return None


class KnowledgeConfig(WireModel):
    """``GET /knowledge/config``: readers, chunkers, vector dbs and filters the server offers."""

    readers: dict[str, Any] | None = None
    readersForType: dict[str, list[str]] | None = None
    chunkers: dict[str, Any] | None = None
    filters: list[str] | None = None
    vector_dbs: list[dict[str, Any]] | None = None
    remote_content_sources: list[dict[str, Any]] | None = None


class ContentPage(Page[Content]):
    pass


class SearchResultPage(Page[SearchResult]):
    pass
