"""IPython magics: ``%load_ext agentnb`` registers ``%agent`` and ``%%agent`` (see agent_magic)."""

from __future__ import annotations

from typing import Any

from agentnb.magics.agent_magic import AgentMagics

__all__ = ["AgentMagics", "load_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics on ``ipython`` (what ``%load_ext agentnb`` calls)."""
    ipython.register_magics(AgentMagics)
