"""Which paused runs were continued: AgentOS forks a run continued twice and runs its tools again.

A notebook may continue thousands of runs over a day, so the record is bounded: the oldest run ids
are forgotten first. A run paused again is removed by its continuer, since it may continue once more.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["ContinuedRuns"]

#: Run ids remembered; a run older than this many continuations is no longer guarded here (the
#: server refuses most late second continues anyway, and the guard is a convenience).
DEFAULT_REMEMBERED = 4096


class ContinuedRuns:
    """A bounded set of run ids: ``add``, ``discard``, ``in``; the oldest are forgotten first."""

    def __init__(self, limit: int = DEFAULT_REMEMBERED) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, run_id: object) -> bool:
        return run_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, run_id: str) -> None:
        self._ids[run_id] = None
        self._ids.move_to_end(run_id)
        while len(self._ids) > self.limit:
            self._ids.popitem(last=False)

    def discard(self, run_id: str) -> None:
        self._ids.pop(run_id, None)
