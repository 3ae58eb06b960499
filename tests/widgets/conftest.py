"""Widget tests without a front end: every widget gets a comm that records what it would send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import comm
import pytest


class RecordingComm:
    """Stands in for the kernel comm; ``messages`` is what the browser would receive."""

    kernel = "Truthy"

    def __init__(self, **kwargs: Any) -> None:
        self.comm_id = kwargs.get("comm_id") or f"c{id(self)}"
        self.messages: list[dict[str, Any]] = []

    def open(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_msg(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_close(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        self.messages.append(data)

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture(autouse=True)
def recording_comms(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: RecordingComm(**kwargs))
    yield


def updates(widget: Any, trait: str | None = None) -> list[dict[str, Any]]:
    """The state updates a widget sent (optionally only those that touch ``trait``)."""
    sent = [m for m in widget.comm.messages if isinstance(m, dict) and m.get("method") == "update"]
    return [m for m in sent if trait is None or trait in m.get("state", {})]
