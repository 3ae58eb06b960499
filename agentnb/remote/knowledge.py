"""RemoteKnowledge: the live knowledge base behind an AgentOS agent — search, upload, list, status.

agno's ``RemoteKnowledge`` method names (async), each bound to the knowledge's contents database
(and ``knowledge_id`` where the server has several); sync twins are ``<name>_sync``.

>>> kb = agent.knowledge
>>> hits = await kb.search_knowledge("refund policy")
>>> content = await kb.upload_content(text_content="Refunds take 5 days.", name="refunds")
>>> await kb.wait_until_processed(content.id)
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.knowledge_models import (
    Content,
    ContentPage,
    ContentStatus,
    KnowledgeConfig,
    SearchResultPage,
)
from agentnb.agentos.knowledge_routes import FileInput
from agentnb.errors import ConfigurationError, RemoteTimeoutError

__all__ = ["RemoteKnowledge"]


class RemoteKnowledge:
    """A knowledge base an AgentOS serves; cheap to make (no request until a method is called).

    ``db_id`` is its contents database, ``knowledge_table`` that database's table, as the agent's
    config names them; ``knowledge_id`` selects one knowledge base where a database holds several.
    """

    def __init__(
        self,
        client: AgentOSClient,
        *,
        db_id: str | None = None,
        knowledge_table: str | None = None,
        knowledge_id: str | None = None,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.client = client
        self.db_id = db_id
        self.knowledge_table = knowledge_table
        self.knowledge_id = knowledge_id
        self.name = name
        #: The knowledge section of the agent's config, as the server sent it.
        self.config = dict(config or {})

    def __repr__(self) -> str:
        return f"RemoteKnowledge(db_id={self.db_id!r}, knowledge_id={self.knowledge_id!r})"

    def _which(self) -> dict[str, Any]:
        return {"db_id": self.db_id, "knowledge_id": self.knowledge_id}

    async def get_config(self, *, auth_token: str | None = None) -> KnowledgeConfig:
        """Readers, chunkers, vector dbs and filters the server offers for this knowledge."""
        return await self.client.aget_knowledge_config(**self._which(), auth_token=auth_token)

    async def search_knowledge(
        self,
        query: str,
        *,
        max_results: int | None = None,
        filters: Mapping[str, Any] | None = None,
        search_type: str | None = None,
        vector_db_ids: Sequence[str] | None = None,
        limit: int = 20,
        page: int = 1,
        auth_token: str | None = None,
    ) -> SearchResultPage:
        return await self.client.asearch_knowledge(
            query,
            max_results=max_results,
            filters=filters,
            search_type=search_type,
            vector_db_ids=vector_db_ids,
            limit=limit,
            page=page,
            **self._which(),
            auth_token=auth_token,
        )

    async def upload_content(
        self,
        name: str | None = None,
        description: str | None = None,
        url: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        file: FileInput | None = None,
        text_content: str | None = None,
        reader_id: str | None = None,
        chunker: str | None = None,
        chunk_size: int | None = None,
        chunk_overlap: int | None = None,
        *,
        filename: str | None = None,
        auth_token: str | None = None,
    ) -> Content:
        """Add a file (a path, bytes or ``(name, bytes, mime)``), text, or a URL.

        The server answers at once (status "processing"); ``wait_until_processed`` waits.
        """
        return await self.client.aupload_knowledge_content(
            name=name,
            description=description,
            url=url,
            metadata=metadata,
            file=file,
            filename=filename,
            text_content=text_content,
            reader_id=reader_id,
            chunker=chunker,
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            **self._which(),
            auth_token=auth_token,
        )

    async def update_content(
        self,
        content_id: str,
        name: str | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        reader_id: str | None = None,
        *,
        auth_token: str | None = None,
    ) -> Content:
        return await self.client.aupdate_knowledge_content(
            content_id,
            name=name,
            description=description,
            metadata=metadata,
            reader_id=reader_id,
            **self._which(),
            auth_token=auth_token,
        )

    async def get_content(
        self,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        *,
        auth_token: str | None = None,
    ) -> ContentPage:
        """One page of the contents, with their processing status."""
        return await self.client.alist_knowledge_content(
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
            **self._which(),
            auth_token=auth_token,
        )

    async def get_content_by_id(self, content_id: str, *, auth_token: str | None = None) -> Content:
        return await self.client.aget_knowledge_content(content_id, **self._which(), auth_token=auth_token)

    async def delete_content_by_id(self, content_id: str, *, auth_token: str | None = None) -> None:
        await self.client.adelete_knowledge_content(content_id, **self._which(), auth_token=auth_token)

    def _names(self) -> list[str]:
        return [n for n in (self.knowledge_id, self.name, self.db_id) if n]

    async def delete_all_content(self, confirm: str | None = None, *, auth_token: str | None = None) -> None:
        """Delete every content of this knowledge base. Destructive, so it must be asked by name:
        ``confirm`` is the knowledge's id, name or contents db id."""
        names = self._names()
        if confirm is None or confirm not in names:
            raise ConfigurationError(
                "delete_all_content deletes every content of this knowledge base and cannot be undone; "
                f"to confirm, pass its name: delete_all_content(confirm={(names or ['?'])[0]!r})"
            )
        await self.client.adelete_all_knowledge_content(**self._which(), auth_token=auth_token)

    async def get_content_status(self, content_id: str, *, auth_token: str | None = None) -> ContentStatus:
        return await self.client.aget_knowledge_content_status(
            content_id, **self._which(), auth_token=auth_token
        )

    async def refresh_content(self, content_id: str, *, auth_token: str | None = None) -> Content:
        """Ingest content again from its URL or path (beyond agno; text content has none: 400)."""
        return await self.client.arefresh_knowledge_content(
            content_id, **self._which(), auth_token=auth_token
        )

    async def wait_until_processed(
        self,
        content_id: str,
        *,
        timeout: float = 60.0,
        poll_interval: float = 0.25,
        auth_token: str | None = None,
    ) -> ContentStatus:
        """Poll the content's status until processing ends (completed, partial or failed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            status = await self.get_content_status(content_id, auth_token=auth_token)
            if status.finished:
                return status
            if loop.time() >= deadline:
                raise RemoteTimeoutError(
                    f"content {content_id!r} still {status.status!r} after {timeout} s "
                    f"(message: {status.status_message or 'none'})",
                    self.client.base_url,
                    timeout=timeout,
                )
            await asyncio.sleep(poll_interval)

    async def list_content_ids(self, *, auth_token: str | None = None) -> Sequence[str]:
        """Every content id, following the server's pages."""
        ids: list[str] = []
        page = 1
        while True:
            result = await self.get_content(limit=100, page=page, auth_token=auth_token)
            ids.extend(item.id for item in result.data)
            if page >= result.meta.total_pages or not result.data:
                return ids
            page += 1

    get_config_sync = _sync.twin(get_config)
    search_knowledge_sync = _sync.twin(search_knowledge)
    upload_content_sync = _sync.twin(upload_content)
    update_content_sync = _sync.twin(update_content)
    get_content_sync = _sync.twin(get_content)
    get_content_by_id_sync = _sync.twin(get_content_by_id)
    delete_content_by_id_sync = _sync.twin(delete_content_by_id)
    delete_all_content_sync = _sync.twin(delete_all_content)
    get_content_status_sync = _sync.twin(get_content_status)
    refresh_content_sync = _sync.twin(refresh_content)
    wait_until_processed_sync = _sync.twin(wait_until_processed)
    list_content_ids_sync = _sync.twin(list_content_ids)
