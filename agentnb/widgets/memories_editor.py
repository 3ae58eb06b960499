"""MemoriesEditor: the memories an AgentOS keeps about one user, with add and delete.

A table of the user's memories (every server page), a multiple-choice list to select rows, a
text box and a topics box to add one, and Delete for the selected rows. Buttons schedule
coroutines on the kernel's loop and return at once (outside a loop, as in a script or a test,
they run to the end). Memories are untrusted text: escaped in the table, clipped in the list;
what the editor refuses to send (empty or over-long text, too many topics) it says.

>>> MemoriesEditor(agent, user_id="ada")      # or MemoriesEditor(agent.db, user_id="ada")
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

import ipywidgets as widgets

from agentnb import _sync
from agentnb.agentos.db_models import UserMemory
from agentnb.errors import AgentNBError
from agentnb.remote.db import db_of
from agentnb.widgets.render import escape

__all__ = ["MemoriesEditor", "memories_html"]

#: Longest memory the editor sends (AgentOS takes more; a memory is a fact, not a document).
MAX_MEMORY_CHARS = 2_000
#: Most topics one memory may carry, and the longest topic.
MAX_TOPICS = 20
MAX_TOPIC_CHARS = 100
#: Characters of a memory shown in the table and in the selection list.
CELL_CHARS = 300
LABEL_CHARS = 80
#: Memories fetched per request while reading every page.
PAGE_SIZE = 100


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def memories_html(memories: Sequence[UserMemory]) -> str:
    """The memories as an escaped HTML table: memory, topics, updated, id."""
    if not memories:
        return "<div class='anb-memories'><i>No memories for this user.</i></div>"
    cell = "style='padding:3px 10px 3px 0;border-bottom:1px solid #e5e5e5;vertical-align:top"
    rows = []
    for m in memories:
        updated = m.updated_at.strftime("%Y-%m-%d %H:%M UTC") if m.updated_at else ""
        rows.append(
            "<tr>"
            f"<td {cell};white-space:pre-wrap'>{escape(_clip(m.memory, CELL_CHARS))}</td>"
            f"<td {cell}'>{escape(', '.join(m.topics or []))}</td>"
            f"<td {cell}'>{escape(updated)}</td>"
            f"<td {cell};color:#888;font-size:smaller'>{escape(m.memory_id)}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th style='text-align:left;padding-right:10px'>{name}</th>"
        for name in ("memory", "topics", "updated", "id")
    )
    table = "<table class='anb-memories' style='border-collapse:collapse'>"
    return f"{table}<tr>{head}</tr>{''.join(rows)}</table>"




class MemoriesEditor(widgets.VBox):  # type: ignore[misc]
    """The memories of one user, with add (text + topics) and delete (selected rows)."""

    def __init__(self, source: Any, user_id: str, *, load: bool = True, **kwargs: Any) -> None:
        if not user_id:
            raise ValueError("MemoriesEditor edits the memories of one user: pass user_id")
        self.db = db_of(source, hint=" (inside a running loop, await agent.get_agent_config() first)")
        self.user_id = user_id
        #: The memories shown, as last read from the server.
        self.memories: list[UserMemory] = []
        self.table = widgets.HTML()
        self.select = widgets.SelectMultiple(options=[], rows=6, description="Select")
        self.memory_text = widgets.Textarea(placeholder="A new memory, e.g. Likes green tea")
        self.topics_text = widgets.Text(placeholder="topics, comma separated")
        self.add_button = widgets.Button(description="Add", icon="plus")
        self.delete_button = widgets.Button(description="Delete selected", icon="trash")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.status = widgets.HTML()
        self.task: asyncio.Future[Any] | None = None
        self.add_button.on_click(lambda _b: self._start(self._add_from_form()))
        self.delete_button.on_click(lambda _b: self._start(self.adelete(list(self.select.value))))
        self.refresh_button.on_click(lambda _b: self._start(self.arefresh()))
        super().__init__(
            [
                widgets.HTML(f"<b>Memories of {escape(user_id)}</b>"),
                self.table,
                widgets.HBox([self.select, widgets.VBox([self.delete_button, self.refresh_button])]),
                widgets.HBox([self.memory_text, widgets.VBox([self.topics_text, self.add_button])]),
                self.status,
            ],
            **kwargs,
        )
        if load:
            self._start(self.arefresh())

    def _start(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            _sync.run_sync(coro)  # no kernel loop (a script, a test): run it to the end now
            return
        self.task = asyncio.ensure_future(coro)

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#c00" if error else "#333"
        self.status.value = f"<div style='color:{color}'>{text}</div>"

    def _show(self, memories: list[UserMemory]) -> None:
        self.memories = memories
        self.table.value = memories_html(memories)
        self.select.options = [
            (f"{_clip(' '.join(m.memory.split()), LABEL_CHARS)} [{', '.join(m.topics or [])}]", m.memory_id)
            for m in memories
        ]

    async def arefresh(self) -> list[UserMemory]:
        """Read every page of the user's memories and show them."""
        memories: list[UserMemory] = []
        try:
            page_number = 1
            while True:
                page = await self.db.get_memories(self.user_id, page=page_number, limit=PAGE_SIZE)
                memories.extend(page.data)
                pages = page.meta.total_pages or 1
                if page_number >= pages or not page.data:
                    break
                page_number += 1
        except AgentNBError as exc:
            self._say(f"Could not read the memories: {escape(exc)}", error=True)
            return self.memories
        self._show(memories)
        return memories

    def _refusal(self, memory: str, topics: list[str]) -> str | None:
        if not memory.strip():
            return "Write the memory first."
        if len(memory) > MAX_MEMORY_CHARS:
            return f"Refused: the memory has {len(memory)} characters, over {MAX_MEMORY_CHARS}."
        if len(topics) > MAX_TOPICS:
            return f"Refused: {len(topics)} topics, over {MAX_TOPICS}."
        long = [t for t in topics if len(t) > MAX_TOPIC_CHARS]
        if long:
            return f"Refused: a topic is over {MAX_TOPIC_CHARS} characters."
        return None

    async def aadd(self, memory: str, topics: Sequence[str] = ()) -> UserMemory | None:
        """Store one memory for the user and show the table again; None when refused or failed."""
        cleaned = [t.strip() for t in topics if t.strip()]
        refusal = self._refusal(memory, cleaned)
        if refusal is not None:
            self._say(escape(refusal), error=True)
            return None
        try:
            made = await self.db.create_memory(memory.strip(), cleaned or None, self.user_id)
        except AgentNBError as exc:
            self._say(f"Could not add the memory: {escape(exc)}", error=True)
            return None
        await self.arefresh()
        self._say(f"Added: {escape(_clip(made.memory, LABEL_CHARS))}")
        return made

    async def _add_from_form(self) -> None:
        made = await self.aadd(self.memory_text.value, self.topics_text.value.split(","))
        if made is not None:
            self.memory_text.value = ""
            self.topics_text.value = ""

    async def adelete(self, memory_ids: Sequence[str]) -> int:
        """Delete these memories of the user and show the table again; returns how many."""
        ids = list(memory_ids)
        if not ids:
            self._say("Select the memories to delete first.")
            return 0
        try:
            await self.db.delete_memories(ids, user_id=self.user_id)
        except AgentNBError as exc:
            self._say(f"Could not delete: {escape(exc)}", error=True)
            return 0
        await self.arefresh()
        self._say(f"Deleted {len(ids)} memor{'y' if len(ids) == 1 else 'ies'}.")
        return len(ids)
