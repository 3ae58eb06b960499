"""The batch's progress bar: ``tqdm.auto`` (a widget in a notebook, text elsewhere) counting
completed / failed / paused runs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from agentnb.batch.runner import Progress

__all__ = ["TqdmProgress"]


class TqdmProgress(Progress):
    """A tqdm bar over ``total`` runs; the postfix counts each outcome."""

    def __init__(self, total: int, *, desc: str = "batch") -> None:
        from tqdm.auto import tqdm

        self.counts: Counter[str] = Counter()
        self.bar: Any = tqdm(total=total, desc=desc, unit="run", leave=True)

    def update(self, status: str) -> None:
        self.counts[status] += 1
        self.bar.set_postfix(
            done=self.counts["completed"],
            failed=self.counts["error"],
            paused=self.counts["paused"],
            refresh=False,
        )
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
