"""AgentOS knowledge (``/knowledge/...``): upload, list, update, delete, status, search, config.

Uploads are multipart forms as AgentOS takes them (``metadata`` as a JSON string, the file in
``file``); the knowledge base is picked with ``db_id`` / ``knowledge_id`` query parameters, and
for a search in the JSON body.
"""

from __future__ import annotations

import json
import mimetypes
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union

from agentnb import _sync
from agentnb.agentos._routes import Routes, one
from agentnb.agentos.knowledge_models import (
    Content,
    ContentPage,
    ContentStatus,
    KnowledgeConfig,
    SearchResultPage,
)
from agentnb.errors import ConfigurationError

__all__ = ["FileInput", "KnowledgeRoutes", "upload_file"]

#: A file to upload: a path, raw bytes, or ``(filename, bytes, mime type)``.
FileInput = Union[str, "os.PathLike[str]", bytes, tuple[str, bytes, str]]


def upload_file(file: FileInput, filename: str | None = None) -> tuple[str, bytes, str]:
    """``(filename, bytes, mime type)`` for a multipart upload of ``file``."""
    if isinstance(file, tuple):
        return file
    if isinstance(file, bytes | bytearray):
        name = filename or "upload.bin"
        return name, bytes(file), mimetypes.guess_type(name)[0] or "application/octet-stream"
    path = Path(file)
    if not path.is_file():
        raise ConfigurationError(f"upload_content: {path} is not a file")
    name = filename or path.name
    return name, path.read_bytes(), mimetypes.guess_type(name)[0] or "application/octet-stream"


def _which(db_id: str | None, knowledge_id: str | None) -> dict[str, Any]:
    return {"db_id": db_id, "knowledge_id": knowledge_id}


class KnowledgeRoutes(Routes):
    """The knowledge endpoints of AgentOSClient."""

    async def aupload_knowledge_content(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        url: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        text_content: str | None = None,
        reader_id: str | None = None,
        chunker: str | None = None,
        chunk_size: int | None = None,
        chunk_overlap: int | None = None,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> Content:
        """Add content (a file, text or a URL); the server processes it in the background."""
        if file is None and text_content is None and url is None:
            raise ConfigurationError("upload_content: pass a file, text_content or a url")
        form = {
            "name": name,
            "description": description,
            "url": url,
            "metadata": json.dumps(dict(metadata)) if metadata is not None else None,
            "text_content": text_content,
            "reader_id": reader_id,
            "chunker": chunker,
            "chunk_size": str(chunk_size) if chunk_size is not None else None,
            "chunk_overlap": str(chunk_overlap) if chunk_overlap is not None else None,
        }
        files = [("file", upload_file(file, filename))] if file is not None else None
        data = await self._call(
            "POST",
            "/knowledge/content",
            endpoint="POST /knowledge/content",
            params=_which(db_id, knowledge_id),
            data={k: v for k, v in form.items() if v is not None},
            files=files,
            auth_token=auth_token,
        )
        return one(Content, data, "POST /knowledge/content")

    async def aupdate_knowledge_content(
        self,
        content_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        reader_id: str | None = None,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> Content:
        form = {
            "name": name,
            "description": description,
            "metadata": json.dumps(dict(metadata)) if metadata is not None else None,
            "reader_id": reader_id,
        }
        data = await self._call(
            "PATCH",
            f"/knowledge/content/{content_id}",
            endpoint="PATCH /knowledge/content/{content_id}",
            what=f"content {content_id!r}",
            params=_which(db_id, knowledge_id),
            data={k: v for k, v in form.items() if v is not None},
            auth_token=auth_token,
        )
        return one(Content, data, f"PATCH /knowledge/content/{content_id}")

    async def alist_knowledge_content(
        self,
        *,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> ContentPage:
        params = {"limit": limit, "page": page, "sort_by": sort_by, "sort_order": sort_order}
        data = await self._call(
            "GET",
            "/knowledge/content",
            endpoint="GET /knowledge/content",
            params={**params, **_which(db_id, knowledge_id)},
            auth_token=auth_token,
        )
        return one(ContentPage, data, "GET /knowledge/content")

    async def aget_knowledge_content(
        self,
        content_id: str,
        *,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> Content:
        data = await self._call(
            "GET",
            f"/knowledge/content/{content_id}",
            endpoint="GET /knowledge/content/{content_id}",
            what=f"content {content_id!r}",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )
        return one(Content, data, f"GET /knowledge/content/{content_id}")

    async def adelete_knowledge_content(
        self,
        content_id: str,
        *,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> Content | None:
        data = await self._call(
            "DELETE",
            f"/knowledge/content/{content_id}",
            endpoint="DELETE /knowledge/content/{content_id}",
            what=f"content {content_id!r}",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )
        return Content.from_wire(data) if isinstance(data, dict) and "id" in data else None

    async def adelete_all_knowledge_content(
        self, *, db_id: str | None = None, knowledge_id: str | None = None, auth_token: str | None = None
    ) -> None:
        """Delete every content of the knowledge base (RemoteKnowledge asks for its name first)."""
        await self._call(
            "DELETE",
            "/knowledge/content",
            endpoint="DELETE /knowledge/content",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )

    async def aget_knowledge_content_status(
        self,
        content_id: str,
        *,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> ContentStatus:
        data = await self._call(
            "GET",
            f"/knowledge/content/{content_id}/status",
            endpoint="GET /knowledge/content/{content_id}/status",
            what=f"content {content_id!r}",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )
        return one(ContentStatus, data, f"GET /knowledge/content/{content_id}/status")

    async def arefresh_knowledge_content(
        self,
        content_id: str,
        *,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> Content:
        """Ingest content again from the URL or path it came from (AgentOS answers 202 and works in
        the background: poll ``aget_knowledge_content_status``). Text content has no source: 400."""
        data = await self._call(
            "POST",
            f"/knowledge/content/{content_id}/refresh",
            endpoint="POST /knowledge/content/{content_id}/refresh",
            what=f"content {content_id!r}",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )
        return one(Content, data, f"POST /knowledge/content/{content_id}/refresh")

    async def asearch_knowledge(
        self,
        query: str,
        *,
        max_results: int | None = None,
        filters: Mapping[str, Any] | None = None,
        search_type: str | None = None,
        vector_db_ids: Sequence[str] | None = None,
        limit: int = 20,
        page: int = 1,
        db_id: str | None = None,
        knowledge_id: str | None = None,
        auth_token: str | None = None,
    ) -> SearchResultPage:
        body: dict[str, Any] = {
            "query": query,
            "max_results": max_results,
            "filters": dict(filters) if filters is not None else None,
            "search_type": search_type,
            "vector_db_ids": list(vector_db_ids) if vector_db_ids is not None else None,
            "meta": {"limit": limit, "page": page},
            "db_id": db_id,
            "knowledge_id": knowledge_id,
        }
        data = await self._call(
            "POST",
            "/knowledge/search",
            endpoint="POST /knowledge/search",
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return one(SearchResultPage, data, "POST /knowledge/search")

    async def aget_knowledge_config(
        self, *, db_id: str | None = None, knowledge_id: str | None = None, auth_token: str | None = None
    ) -> KnowledgeConfig:
        data = await self._call(
            "GET",
            "/knowledge/config",
            endpoint="GET /knowledge/config",
            params=_which(db_id, knowledge_id),
            auth_token=auth_token,
        )
        return one(KnowledgeConfig, data, "GET /knowledge/config")

    upload_knowledge_content = _sync.twin(aupload_knowledge_content)
    update_knowledge_content = _sync.twin(aupdate_knowledge_content)
    list_knowledge_content = _sync.twin(alist_knowledge_content)
    get_knowledge_content = _sync.twin(aget_knowledge_content)
    delete_knowledge_content = _sync.twin(adelete_knowledge_content)
    delete_all_knowledge_content = _sync.twin(adelete_all_knowledge_content)
    get_knowledge_content_status = _sync.twin(aget_knowledge_content_status)
    refresh_knowledge_content = _sync.twin(arefresh_knowledge_content)
    search_knowledge = _sync.twin(asearch_knowledge)
    get_knowledge_config = _sync.twin(aget_knowledge_config)
