"""What an AgentOS knows, offline: a knowledge base, an agent with memory, tracing and evals.

Shared by the demo server and agentnb's test AgentOS peer:

* ``HashEmbedder`` - a deterministic embedder: each word is hashed into one of ``dimensions``
  buckets, so texts sharing words are close. No model, no network, same vectors every run.
* ``build_knowledge`` - an agno ``Knowledge`` on LanceDB in a local folder (in-process, no server)
  with the OS's database as its contents db, preloaded with ``DOCUMENTS``.
* ``knowledge_agents`` - ``memory-agent`` (agno's memory, on the scripted model's ``memory``
  script, which stores what the user said) and ``knowledge-agent`` (searches the knowledge).
  Both models also judge evals and summarise memories offline (``agentnb.demo.judge``), and the
  provider ``offline`` is registered so ``optimize_memories(model="offline:judge")`` works.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("AGNO_TELEMETRY", "false")  # offline: never try to send telemetry

from agno.agent import Agent
from agno.knowledge.document import Document
from agno.knowledge.embedder.base import Embedder
from agno.knowledge.knowledge import Knowledge
from agno.knowledge.reranker.base import Reranker
from agno.memory import MemoryManager

from agentnb.demo.judge import JudgingModel, register_offline_provider

KNOWLEDGE_NAME = "agentnb-handbook"
MEMORY_AGENT_ID = "memory-agent"
KNOWLEDGE_AGENT_ID = "knowledge-agent"
EMBEDDING_DIMENSIONS = 4096  # wide enough that two words rarely share a bucket (search tests rely on it)

#: (name, text) of the documents every knowledge base starts with.
DOCUMENTS: list[tuple[str, str]] = [
    (
        "refund-policy",
        "Refund policy: customers get a full refund within 30 days of purchase. "
        "Refunds are paid back to the original card within 5 business days.",
    ),
    (
        "shipping",
        "Shipping: orders leave the warehouse within 2 days. Express shipping arrives the next day "
        "in Berlin, Paris and Madrid.",
    ),
    (
        "support-hours",
        "Support hours: the help desk answers chat and email from 9:00 to 17:00 CET, Monday to Friday.",
    ),
    (
        "agentnb",
        "agentnb lets a notebook talk to remote AI agents: AgentOS and A2A servers, with chat panes, "
        "tables of sessions and memories, and trace views.",
    ),
]

_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class HashEmbedder(Embedder):
    """Deterministic offline embedder: words hashed into buckets, L2-normalised."""

    id: str = "hash-embedder"
    dimensions: int | None = EMBEDDING_DIMENSIONS

    def get_embedding(self, text: str) -> list[float]:
        size = self.dimensions or EMBEDDING_DIMENSIONS
        vector = [0.0] * size
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            vector[int.from_bytes(digest[:4], "big") % size] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector))
        # An empty text still needs a valid (non-zero) vector for cosine distance.
        return [v / norm for v in vector] if norm else [1.0 / math.sqrt(size)] * size

    def get_embedding_and_usage(self, text: str) -> tuple[list[float], dict[str, Any] | None]:
        return self.get_embedding(text), None

    async def async_get_embedding(self, text: str) -> list[float]:
        return self.get_embedding(text)

    async def async_get_embedding_and_usage(self, text: str) -> tuple[list[float], dict[str, Any] | None]:
        return self.get_embedding(text), None


class HashReranker(Reranker):
    """Scores each found chunk by the cosine of its hashed words with the query's, so that a
    search answers a relevance score (``reranking_score``) without any model."""

    candidate_multiplier: int = 1

    def rerank(self, query: str, documents: list[Document], limit: int | None = None) -> list[Document]:
        embedder = HashEmbedder()
        target = embedder.get_embedding(query)
        for document in documents:
            vector = embedder.get_embedding(document.content)
            document.reranking_score = round(sum(a * b for a, b in zip(target, vector, strict=True)), 4)
        return sorted(documents, key=lambda d: d.reranking_score or 0.0, reverse=True)


def build_knowledge(folder: Path, contents_db: Any, *, preload: bool = True) -> Knowledge:
    """A knowledge base on LanceDB under ``folder`` (created), its contents listed in ``contents_db``."""
    from agno.vectordb.lancedb import LanceDb

    folder.mkdir(parents=True, exist_ok=True)
    vector_db = LanceDb(uri=str(folder / "lancedb"), table_name="handbook", embedder=HashEmbedder())
    knowledge = Knowledge(
        name=KNOWLEDGE_NAME,
        description="A small handbook (refunds, shipping, support hours) for offline demos and tests.",
        vector_db=vector_db,
        reranker=HashReranker(),
        contents_db=contents_db,
    )
    if preload:
        for name, text in DOCUMENTS:
            # skip_if_exists: a restarted demo keeps its folder and must not duplicate them.
            knowledge.insert(
                name=name, text_content=text, metadata={"source": "preloaded"}, skip_if_exists=True
            )
    return knowledge


def os_options() -> dict[str, Any]:
    """AgentOS keyword arguments: tracing on, FastAPI's own request spans off.

    FastAPI (0.16x) traces every request natively; with those spans a run's trace would be named
    after the HTTP request and every ``GET /traces`` would add a trace of its own. A base app
    with its telemetry's tracing off keeps one run = one trace of agno's spans.
    """
    from fastapi import FastAPI

    try:
        base_app = FastAPI(telemetry={"tracing": False})
    except TypeError:  # a FastAPI without native telemetry traces nothing by itself
        base_app = FastAPI()
    return {"tracing": True, "base_app": base_app}


def knowledge_agents(db: Any, knowledge: Knowledge) -> list[Agent]:
    """The agent with memory and the agent with knowledge, both on scripted models.

    Their models are ``JudgingModel``s: an accuracy or agent-as-judge eval of either agent, asked
    with the agent's own ``model_id``/``model_provider``, is judged offline by a copy of it.
    """
    register_offline_provider()
    memory_agent = Agent(
        id=MEMORY_AGENT_ID,
        name="Memory Agent",
        description="Remembers what you tell it (agno's user memories).",
        model=JudgingModel(id="scripted-memory", script="memory"),
        memory_manager=MemoryManager(model=JudgingModel(id="scripted-memory", script="memory"), db=db),
        update_memory_on_run=True,
        db=db,
        telemetry=False,
    )
    knowledge_agent = Agent(
        id=KNOWLEDGE_AGENT_ID,
        name="Knowledge Agent",
        description="Answers from the handbook knowledge base.",
        model=JudgingModel(id="scripted-knowledge", script="memory"),
        knowledge=knowledge,
        search_knowledge=True,
        db=db,
        telemetry=False,
    )
    return [memory_agent, knowledge_agent]
