"""A2AClient.abatch / batch: many prompts through one client (the runner is agentnb.batch).

agentnb.batch needs pandas and sits above this layer, so it is loaded on the first call.
"""

from __future__ import annotations

import importlib
from typing import Any

from agentnb import _sync

__all__ = ["BatchMethods"]


class BatchMethods:
    async def abatch(
        self,
        prompts: Any,
        *,
        concurrency: int = 8,
        context_id: str | None = None,
        retries: int = 0,
        progress: bool = True,
        stop: Any = None,
        prompt_column: str = "prompt",
        **send_kwargs: Any,
    ) -> Any:
        """Send many prompts, ``concurrency`` at a time; a pandas DataFrame in input order
        (``agentnb.batch``, loaded on first call because it needs pandas)."""
        batch = importlib.import_module("agentnb.batch")
        return await batch.abatch_a2a(
            self, prompts, concurrency=concurrency, context_id=context_id, retries=retries,
            progress=progress, stop=stop, prompt_column=prompt_column, **send_kwargs,
        )  # fmt: skip

    batch = _sync.twin(abatch)
