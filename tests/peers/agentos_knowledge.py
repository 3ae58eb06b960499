"""The test AgentOS's knowledge, memory, tracing and evals: the demo's building blocks, registered.

``agentos_server.build_app`` adds ``extra_agents(db, folder)`` to its agents and passes
``os_options()`` to AgentOS (tracing on, FastAPI's request spans off). The agents and the knowledge base come from ``agentnb.demo.knowledge``
(an in-process LanceDB with a hashing embedder, preloaded with ``DOCUMENTS``), so the tests and
the demo exercise the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentnb.demo.knowledge import build_knowledge, knowledge_agents, os_options

__all__ = ["extra_agents", "os_options"]


def extra_agents(db: Any, folder: Path) -> list[Any]:
    """``memory-agent`` and ``knowledge-agent``; the knowledge base lives under ``folder``."""
    return knowledge_agents(db, build_knowledge(folder / "knowledge", db))
