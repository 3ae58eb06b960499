"""The widget benchmark's rig: a simulated clock, recording comms and the CPU meter.

bench_widgets.py's docstring says how they are used. Everything here replaces something for the
length of one run and puts it back after.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import selectors
import time
import types
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from benchmarks._meter import CpuMeter

# --------------------------------------------------------------------------- simulated clock


class _Clock:
    now = 0.0


class _VirtualSelector(selectors.DefaultSelector):
    """Never waits: a select that would time out moves the clock by its timeout instead."""

    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self.clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if not ready:
            if timeout is None:
                ready = super().select(0.001)  # nothing scheduled: only another thread can wake us
            elif timeout > 0:
                self.clock.now += timeout
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self.clock = _Clock()
        super().__init__(_VirtualSelector(self.clock))

    def time(self) -> float:
        return self.clock.now


# --------------------------------------------------------------------------- recording comms


class RecordingComm:
    """What a widget sends, with the stream time and real time of each message."""

    kernel = "Truthy"
    all: ClassVar[list[RecordingComm]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.comm_id = kwargs.get("comm_id") or f"c{len(RecordingComm.all):031d}"
        self.sent: list[tuple[float, float, Any]] = []
        RecordingComm.all.append(self)
        if kwargs.get("data") is not None:  # the open message carries the widget's whole state
            loop = asyncio.get_running_loop() if _in_loop() else None
            self.sent.append((loop.time() if loop else 0.0, time.perf_counter(), kwargs["data"]))

    def open(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_msg(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_close(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        loop = asyncio.get_running_loop() if _in_loop() else None
        self.sent.append((loop.time() if loop else 0.0, time.perf_counter(), data))

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


def _in_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def message_bytes(data: Any) -> int:
    return len(json.dumps(data, default=str, separators=(",", ":")))


@contextlib.contextmanager
def instrumented(loop: VirtualTimeLoop) -> Iterator[None]:
    """Recording comms, and the widgets' clock read from the loop's simulated clock."""
    import comm

    from agentnb.widgets import stream_view, throttle, view_parts

    saved = (comm.create_comm, throttle.time, stream_view.time, view_parts.time)
    fake_time = types.SimpleNamespace(monotonic=loop.time)
    comm.create_comm = lambda **kwargs: RecordingComm(**kwargs)
    throttle.time = fake_time  # type: ignore[assignment]
    stream_view.time = fake_time  # type: ignore[assignment]
    view_parts.time = fake_time  # type: ignore[assignment]
    RecordingComm.all = []
    try:
        yield
    finally:
        comm.create_comm, throttle.time, stream_view.time, view_parts.time = saved  # type: ignore[assignment]


def updates_of(widget: Any, trait: str = "value") -> list[tuple[float, float, Any]]:
    return [
        s
        for s in widget.comm.sent
        if isinstance(s[2], dict) and s[2].get("method") == "update" and trait in s[2].get("state", {})
    ]


def max_per_second(stamps: list[float]) -> int:
    """Most updates inside any one-second window of stream time."""
    best, start = 0, 0
    for end, t in enumerate(stamps):
        while t - stamps[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


# --------------------------------------------------------------------------- metering


def stream_view_meter_targets() -> list[tuple[Any, str]]:
    """A StreamView's work: every event in, every coalesced flush, its set-up and its end."""
    from agentnb.widgets.stream_view import StreamView
    from agentnb.widgets.throttle import Coalescer

    return [
        (StreamView, "__init__"),
        (StreamView, "handle"),
        (StreamView, "settle_display"),
        (StreamView, "_set_state"),
        (Coalescer, "_on_timer"),
        (Coalescer, "flush_now"),
    ]


def chat_pane_meter_targets() -> list[tuple[Any, str]]:
    """A ChatPane turn's widget work: its StreamView's, and the bubbles, transcript and fallback."""
    from agentnb.widgets import chat
    from agentnb.widgets.chat_bubbles import AgentBubble

    return [
        *stream_view_meter_targets(),
        (chat.ChatPane, "_append"),
        (chat.ChatPane, "_record"),
        (chat.ChatPane, "_set_busy"),
        (chat.ChatPane, "_update_fallback"),
        (AgentBubble, "__init__"),
        (AgentBubble, "finish"),
        (chat, "user_bubble"),
        (chat, "media_html"),
    ]


def live_markdown_meter_targets() -> list[tuple[Any, str]]:
    from agentnb.widgets.live_markdown import LiveMarkdown
    from agentnb.widgets.throttle import Coalescer

    return [
        (LiveMarkdown, "append"),
        (LiveMarkdown, "close"),
        (Coalescer, "touch"),
        (Coalescer, "_on_timer"),
        (Coalescer, "close"),
    ]


class Metering:
    """The meter of the run in progress; a run zeroes it where its timed part starts."""

    meter: CpuMeter | None = None
    overhead_ns: float = 0.0

    @classmethod
    def start(cls) -> None:
        if cls.meter is not None:
            cls.meter.raw_ns = cls.meter.calls = 0

    @classmethod
    def seconds(cls) -> float:
        """The widget CPU metered since ``start``, net of the meter's own clock reads."""
        return cls.meter.cpu_ns(cls.overhead_ns) / 1e9 if cls.meter is not None else float("nan")


def run_on_virtual_loop(
    coroutine_function: Any, *args: Any, metered: Callable[[], list[tuple[Any, str]]] | None = None
) -> Any:
    # A full collection first, outside the timed part: CPython runs one when objects promoted
    # since the last grow past a quarter of the heap, and it costs the whole heap (every import,
    # every earlier run's widgets): 80-100 ms, 8-10 us per chunk here, billed to whichever run
    # happens to cross the line (a widget run or a baseline). Each run starts with no such debt.
    gc.collect()
    loop = VirtualTimeLoop()
    meter = CpuMeter()
    try:
        with instrumented(loop), meter.patched(metered() if metered else []):
            Metering.meter = meter if metered else None
            return loop.run_until_complete(coroutine_function(*args))
    finally:
        Metering.meter = None
        loop.close()
