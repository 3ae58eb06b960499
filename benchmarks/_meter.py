"""CPU spent inside chosen functions: the widget rows' measure (issue 15).

The widget benchmark used to take a run's whole CPU and subtract a baseline run's (the same paced
loop with a no-op handler, or the same stream decoded without widgets). The widgets' share is
10-30 % of such a run, so the difference of two noisy whole-run figures swung from 2 to 43 us per
chunk between runs on unchanged code. A meter reads the thread's CPU clock around each outermost
call into the widget code instead (StreamView.handle, the coalescer's timer flush, the one-time
set-up and finish), so the figure is the widget's own work and nothing else; the subtraction stays
beside it as a cross-check.

``thread_time_ns`` is a system call here (about 1 us a read), so the meter's own cost per call is
measured on a no-op in the same process and taken off: ``cpu_ns`` is net of it.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from benchmarks._common import median


class CpuMeter:
    """Thread CPU inside the wrapped functions; nested calls count once (the outermost)."""

    def __init__(self) -> None:
        self.raw_ns = 0
        self.calls = 0
        self._inside = False

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def metered(*args: Any, **kwargs: Any) -> Any:
            if self._inside:
                return function(*args, **kwargs)
            self._inside = True
            start = time.thread_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                self.raw_ns += time.thread_time_ns() - start
                self.calls += 1
                self._inside = False

        return metered

    @contextlib.contextmanager
    def patched(self, targets: Iterable[tuple[Any, str]]) -> Iterator[CpuMeter]:
        """Replace each ``owner.name`` with its metered version until the block ends."""
        saved: list[tuple[Any, str, Any]] = []
        try:
            for owner, name in targets:
                # a class's own entry, or None when it inherits the function (deleted again after)
                own = vars(owner).get(name)
                saved.append((owner, name, own))
                setattr(owner, name, self.wrap(getattr(owner, name) if own is None else own))
            yield self
        finally:
            for owner, name, own in reversed(saved):
                if own is None:
                    delattr(owner, name)
                else:
                    setattr(owner, name, own)

    def cpu_ns(self, overhead_ns_per_call: float) -> float:
        return max(0.0, self.raw_ns - overhead_ns_per_call * self.calls)


def meter_overhead_ns(calls: int = 20_000, repeats: int = 5) -> float:
    """What one metered call of a function that does nothing adds to ``raw_ns`` (median)."""

    def nothing() -> None:
        return None

    per_call = []
    for _ in range(repeats):
        meter = CpuMeter()
        metered = meter.wrap(nothing)
        for _ in range(calls):
            metered()
        per_call.append(meter.raw_ns / calls)
    return median(per_call)
