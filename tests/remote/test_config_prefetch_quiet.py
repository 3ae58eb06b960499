"""A failed config prefetch stays quiet: a notebook shows warnings as red stderr under whatever cell
runs next, so the failure is logged at DEBUG and kept on ``config_error`` (issue 16, item 12)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from agentnb import RemoteAgent, RemoteServerUnavailableError
from tests.peers.agentos import free_port


async def test_a_failed_prefetch_prints_nothing_and_keeps_the_error(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="agentnb")
    agent = RemoteAgent(f"http://127.0.0.1:{free_port()}", agent_id="a", max_retries=0)  # prefetches
    for _ in range(200):  # bounded: the IO thread answers within milliseconds
        if agent.config_error is not None:
            break
        await asyncio.sleep(0.01)
    assert isinstance(agent.config_error, RemoteServerUnavailableError)
    assert agent.name == "a"  # agno's fallback
    records = [r for r in caplog.records if r.name == "agentnb"]
    assert records and all(r.levelno == logging.DEBUG for r in records)
    assert capfd.readouterr().err == ""
