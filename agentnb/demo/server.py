"""Build the demo's two ASGI apps and run them together in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from agentnb.demo.paths import DemoPaths

GRACEFUL_SHUTDOWN_S = 3
SLOW_TICK_S = 0.1  # how often the slowest scripted agent checks for cancellation


def build_agentos_app(
    paths: DemoPaths,
    *,
    security_key: str | None,
    a2a: bool,
    real_model: Callable[[], Any] | None,
) -> Any:
    """The AgentOS FastAPI app serving the seven demo agents, a team and two workflows."""
    from agno.db.sqlite import SqliteDb
    from agno.os import AgentOS
    from agno.os.settings import AgnoAPISettings

    from agentnb.demo.agents import build_agents
    from agentnb.demo.knowledge import build_knowledge, knowledge_agents, os_options
    from agentnb.demo.teams import demo_components

    paths.seed_sandbox()
    db = SqliteDb(db_file=str(paths.db_file))
    agents: list[Any] = build_agents(paths, db, real_model)
    agents += knowledge_agents(db, build_knowledge(paths.data_dir / "knowledge", db))
    settings = AgnoAPISettings(os_security_key=security_key) if security_key else None
    agent_os = AgentOS(
        id="agentnb-demo",
        name="agentnb demo",
        description="Offline demo agents for agentnb notebooks",
        db=db,
        agents=agents,
        **demo_components(db),
        a2a_interface=a2a,
        settings=settings,
        telemetry=False,
        **os_options(),
    )
    app = agent_os.get_app()
    # agno logs at INFO ("Database ready: ..."); the demo prints its own summary instead.
    logging.getLogger("agno").setLevel(logging.WARNING)
    return app


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals to the demo, which stops both servers together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serve(server: _Server, sock: socket.socket) -> None:
    try:
        await server.serve(sockets=[sock])
    except SystemExit as exc:  # uvicorn exits the process when an app fails to start
        raise RuntimeError(f"a demo server failed to start (uvicorn exit code {exc.code})") from None


@dataclass
class Servers:
    """The demo's uvicorn servers, each on its own pre-bound socket."""

    entries: list[tuple[_Server, socket.socket]] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def add(self, app: Any, sock: socket.socket) -> None:
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
            lifespan="on",
        )
        self.entries.append((_Server(config), sock))

    def start(self) -> None:
        for server, sock in self.entries:
            self.tasks.append(asyncio.ensure_future(_serve(server, sock)))

    def errors(self) -> list[str]:
        """Why the servers that stopped by themselves stopped."""
        return [
            str(task.exception() or "stopped")
            for task in self.tasks
            if task.done() and not task.cancelled() and task.exception() is not None
        ]

    def failed(self) -> bool:
        """True once a server has stopped by itself (for example, its app failed to start)."""
        return any(task.done() for task in self.tasks)

    async def stop(self) -> None:
        """End the runs in progress (their streams close properly), then stop both servers."""
        for server, _ in self.entries:
            close = getattr(getattr(server.config.app, "state", None), "close", None)
            if callable(close):
                close()
        await cancel_agno_runs()
        # A stream still open after the grace period is cancelled by uvicorn, which logs each one
        # with a traceback; on a deliberate stop that is noise.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
        for server, _ in self.entries:
            server.should_exit = True
        if not self.tasks:
            return
        _, pending = await asyncio.wait(self.tasks, timeout=GRACEFUL_SHUTDOWN_S + 2)
        for server, _ in self.entries:
            server.force_exit = True
        if pending:
            await asyncio.wait(pending, timeout=2)
        for task in self.tasks:
            if task.done() and not task.cancelled():
                task.exception()  # seen: a failed startup was reported already
        for _, sock in self.entries:
            sock.close()


async def cancel_agno_runs() -> int:
    """Ask agno to cancel every run in progress; returns how many were asked."""
    from agno.run.cancel import acancel_run, aget_active_runs

    pending = [run_id for run_id, cancelled in (await aget_active_runs()).items() if not cancelled]
    for run_id in pending:
        await acancel_run(run_id)
    if pending:
        await asyncio.sleep(SLOW_TICK_S * 2)  # let each run notice and finish its stream
    return len(pending)


async def wait_healthy(url: str, servers: Servers, timeout: float = 60.0) -> bool:
    """True once ``GET url`` answers 200; False if a server stopped first or time ran out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
        while loop.time() < deadline and not servers.failed():
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return True
            await asyncio.sleep(0.05)
    return False
