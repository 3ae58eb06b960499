"""KnowledgePanel: check what an agent can find before asking it.

Upload files (FileUpload) into an AgentOS knowledge base and watch their status until processed;
search it and see the hits as cards with score and source. Buttons schedule coroutines on the
kernel's loop and return at once (outside a loop, as in a script or a test, they run to the end).
Everything from the wire is escaped and capped.

>>> KnowledgePanel(agent.knowledge)
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import ipywidgets as widgets

from agentnb import _sync
from agentnb.agentos.knowledge_models import SearchResult
from agentnb.errors import AgentNBError
from agentnb.remote.knowledge import RemoteKnowledge
from agentnb.widgets.render import escape

__all__ = ["KnowledgePanel", "result_cards"]

#: Characters of a hit's text shown on its card.
CARD_CHARS = 600
#: Largest file the panel uploads (AgentOS accepts more; a notebook comm should not carry it).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _score(result: SearchResult) -> str:
    return "—" if result.score is None else f"{result.score:.3f}"


def result_cards(results: list[SearchResult]) -> str:
    """Search hits as escaped HTML cards: name, score, source and the start of the text."""
    if not results:
        return "<div class='anb-cards'><i>No results.</i></div>"
    cards = []
    for rank, r in enumerate(results, start=1):
        text = r.content if len(r.content) <= CARD_CHARS else r.content[:CARD_CHARS] + "…"
        source = (r.meta_data or {}).get("source") or r.content_origin or ""
        cards.append(
            "<div class='anb-card' style='border:1px solid #ddd;border-radius:6px;padding:6px 8px;"
            "margin:4px 0'>"
            f"<div><b>{rank}. {escape(r.name or r.content_id or 'untitled')}</b>"
            f" <span class='anb-score' style='color:#555'>score {escape(_score(r))}</span>"
            f" <span style='color:#888'>{escape(source)}</span></div>"
            f"<div style='white-space:pre-wrap'>{escape(text)}</div></div>"
        )
    return "<div class='anb-cards'>" + "".join(cards) + "</div>"


class KnowledgePanel(widgets.VBox):  # type: ignore[misc]
    """Upload, status watch and search for one RemoteKnowledge."""

    def __init__(self, knowledge: RemoteKnowledge, *, max_results: int = 5, **kwargs: Any) -> None:
        if not isinstance(knowledge, RemoteKnowledge):
            raise TypeError("KnowledgePanel takes a RemoteKnowledge (agent.knowledge)")
        self.knowledge = knowledge
        self.max_results = max_results
        self.upload = widgets.FileUpload(multiple=True, description="Choose files")
        self.upload_button = widgets.Button(description="Upload", icon="upload")
        self.status = widgets.HTML()
        self.query = widgets.Text(placeholder="Search the knowledge…", continuous_update=False)
        self.search_button = widgets.Button(description="Search", icon="search")
        self.results = widgets.HTML()
        #: The last search's hits (what the cards show).
        self.hits: list[SearchResult] = []
        #: content id -> last status seen, for the uploads of this panel.
        self.uploads: dict[str, str] = {}
        self.task: asyncio.Future[Any] | None = None
        self.upload_button.on_click(lambda _b: self._start(self._upload_all()))
        self.search_button.on_click(lambda _b: self._start(self.asearch(self.query.value)))
        self.query.observe(lambda change: self._start(self.asearch(change["new"])), names="value")
        super().__init__(
            [
                widgets.HBox([self.upload, self.upload_button]),
                self.status,
                widgets.HBox([self.query, self.search_button]),
                self.results,
            ],
            **kwargs,
        )

    def _start(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            _sync.run_sync(coro)  # no kernel loop (a script, a test): run it to the end now
            return
        self.task = asyncio.ensure_future(coro)

    def _say(self, text: str) -> None:
        self.status.value = f"<div>{text}</div>"

    async def asearch(self, query: str) -> list[SearchResult]:
        """Search and show the hits as cards."""
        if not query.strip():
            return self.hits
        try:
            page = await self.knowledge.search_knowledge(query, max_results=self.max_results)
        except AgentNBError as exc:
            self.results.value = f"<div style='color:#c00'>Search failed: {escape(exc)}</div>"
            return []
        self.hits = list(page.data)
        self.results.value = result_cards(self.hits)
        return self.hits

    async def aupload(self, name: str, content: bytes) -> str:
        """Upload one file and watch it until processed; returns its final status."""
        if len(content) > MAX_UPLOAD_BYTES:
            self._say(f"Refused {escape(name)}: {len(content)} bytes is over {MAX_UPLOAD_BYTES}.")
            return "refused"
        self._say(f"Uploading {escape(name)}…")
        created = await self.knowledge.upload_content(name=name, file=content, filename=name)
        self.uploads[created.id] = created.status or "processing"
        self._say(f"{escape(name)}: {escape(self.uploads[created.id])}…")
        final = await self.knowledge.wait_until_processed(created.id)
        self.uploads[created.id] = final.status
        message = f" ({escape(final.status_message)})" if final.status_message else ""
        self._say(f"{escape(name)}: {escape(final.status)}{message}")
        return final.status

    async def _upload_all(self) -> None:
        files = list(self.upload.value)
        if not files:
            self._say("Choose files first.")
            return
        for item in files:
            try:
                await self.aupload(str(item["name"]), bytes(item["content"]))
            except AgentNBError as exc:
                self._say(f"Upload of {escape(item['name'])} failed: {escape(exc)}")
                return
        self.upload.value = ()
