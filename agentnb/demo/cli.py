"""``agentnb demo``: start the offline demo AgentOS (and an a2a-sdk server), print how to connect.

>>> main(["demo", "--port", "7777"])  # the console script ``agentnb demo --port 7777``
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shlex
import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any

from agentnb.demo.paths import DemoPaths
from agentnb.demo.ports import PortBusyError, base_url, bind, suggest_port

if TYPE_CHECKING:
    from agentnb.demo.server import Servers

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PORT_BUSY = 0, 1, 2, 3
URL_VAR, A2A_URL_VAR = "AGENTNB_DEMO_URL", "AGENTNB_DEMO_A2A_URL"  # notebooks read these
_NEEDED = ("agno", "fastapi", "uvicorn", "sqlalchemy", "a2a", "multipart")  # the demo extra
# Literal copies (the CLI must start without importing agno); tests/demo checks them against the server.
AGENT_IDS = (
    "chat", "tools", "confirm", "email", "shell", "slow", "failing",
    "attachments", "picture", "memory-agent", "knowledge-agent",
)  # fmt: skip
TEAM_AND_WORKFLOW_IDS = ("ops-team", "cleanup-workflow", "publish-workflow")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentnb", description="agentnb command line tools.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser(
        "demo",
        help="run the offline demo server",
        description=(
            "Run a real Agno AgentOS with scripted offline agents (ids: " + ", ".join(AGENT_IDS) + "), "
            "and an a2a-sdk v0.3 server (agent 'facts') on the next port. "
            "Arguments after '--' go to JupyterLab (with --lab), after the demo's own "
            "(--notebook-dir, --no-browser, and --allow-root when run as root)."
        ),
    )
    demo.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    demo.add_argument("--port", type=int, default=7777, help="AgentOS port; A2A uses port+1 (default: 7777)")
    demo.add_argument("--data-dir", default=None, help="data folder (default: the per-user agentnb folder)")
    demo.add_argument("--db", default=None, help="SQLite sessions file (default: <data-dir>/demo.db)")
    demo.add_argument("--security-key", default=None, help="require 'Authorization: Bearer KEY' on AgentOS")
    demo.add_argument("--no-a2a", action="store_true", help="no A2A interface and no a2a-sdk server")
    demo.add_argument("--model", default=None, help="a real model, e.g. openai:gpt-4o-mini (needs its key)")
    demo.add_argument("--lab", action="store_true", help="also start JupyterLab on notebooks/")
    demo.add_argument("--no-browser", action="store_true", help="with --lab: do not open a browser")
    return parser


@dataclass
class Demo:
    """Everything resolved from the options before the servers start."""

    args: argparse.Namespace
    paths: DemoPaths
    sockets: list[socket.socket]
    real_model: Callable[[], Any] | None
    lab_cmd: list[str] | None

    @property
    def url(self) -> str:
        return base_url(self.args.host, self.args.port)

    @property
    def a2a_url(self) -> str | None:
        return None if self.args.no_a2a else base_url(self.args.host, self.args.port + 1)


def _error(message: str) -> None:
    print(f"agentnb demo: {message}", file=sys.stderr, flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def env_vars(demo: Demo) -> dict[str, str]:
    """The variables notebooks (and nbconvert runs) read to find the demo."""
    found = {URL_VAR: demo.url}
    if demo.a2a_url is not None:
        found[A2A_URL_VAR] = demo.a2a_url
    return found


def export_lines(demo: Demo) -> list[str]:
    """``export NAME=value`` lines to paste into a shell, e.g. before ``jupyter nbconvert --execute``."""
    return [f"export {name}={shlex.quote(value)}" for name, value in env_vars(demo).items()]


def banner(demo: Demo) -> str:
    """What the demo prints once it answers: URLs, files and a snippet for a notebook."""
    paths, url, a2a = demo.paths, demo.url, demo.a2a_url
    model = demo.args.model or "scripted offline model"
    auth = ', auth_token="<your --security-key>"' if demo.args.security_key else ""
    lines = [
        f"agentnb demo ({model})",
        f"  data folder : {paths.data_dir}",
        f"  sessions db : {paths.db_file}",
        f"  sandbox     : {paths.sandbox}",
        f"  outbox      : {paths.outbox}",
        f"  AgentOS     : {url}   agents: {', '.join(AGENT_IDS)}",
        f"                teams and workflows: {', '.join(TEAM_AND_WORKFLOW_IDS)}",
    ]
    if a2a is not None:
        lines += [
            f"  A2A (Agno)  : {url}/a2a/agents/chat/.well-known/agent-card.json",
            f"  A2A (v0.3)  : {a2a}/.well-known/agent-card.json   agent: facts",
        ]
    lines += [
        "",
        "Paste into a notebook:",
        "",
        "    from agentnb import RemoteAgent, ChatPane",
        f'    agent = RemoteAgent("{url}", agent_id="chat"{auth})',
        "    ChatPane(agent)",
        "",
    ]
    if a2a is not None:
        lines += ["    from agentnb import A2AClient", f'    facts = A2AClient("{a2a}")', ""]
    lines += ["For nbconvert and other tools, run in your shell:", ""]
    lines += [f"    {line}" for line in export_lines(demo)]
    lines += ["", f"ready: {url} (Ctrl-C to stop)"]
    return "\n".join(lines)


def _prepare(args: argparse.Namespace, lab_args: list[str]) -> Demo | int:
    """Resolve folders, bind the ports and check --model / --lab; an exit code on failure."""
    if not 0 < args.port < 65535:
        _error(f"--port must be between 1 and 65534, not {args.port}")
        return EXIT_USAGE
    try:
        paths = DemoPaths.create(args.data_dir, args.db)
    except OSError as exc:
        _error(f"cannot create the data folder: {exc}")
        return EXIT_FAILED
    ports = [args.port] if args.no_a2a else [args.port, args.port + 1]
    sockets: list[socket.socket] = []
    try:
        for port in ports:
            sockets.append(bind(args.host, port))
    except OSError as exc:
        for sock in sockets:
            sock.close()
        if isinstance(exc, PortBusyError):
            free = suggest_port(args.host, args.port, pair=not args.no_a2a)
            hint = f"--port {free}" if free else "--port"
            what = "the A2A server's port " if exc.port != args.port else "port "
            _error(f"{what}{exc.port} on {args.host} is already in use; choose another with {hint}")
            return EXIT_PORT_BUSY
        _error(str(exc))
        return EXIT_FAILED
    real_model = None
    lab_cmd = None
    try:
        missing = [m for m in _NEEDED if importlib.util.find_spec(m) is None]
        if missing:
            raise ValueError(f"the demo needs {', '.join(missing)}: pip install 'agentnb[demo]'")
        if args.model:
            from agentnb.demo.providers import model_factory

            real_model = model_factory(args.model)
        if args.lab:
            from agentnb.demo import lab

            if not lab.lab_available():
                raise ValueError("--lab needs JupyterLab: pip install jupyterlab")
            no_browser = args.no_browser or bool(os.environ.get("CI"))
            lab_cmd = lab.lab_command(lab.notebooks_dir(), no_browser=no_browser, extra=lab_args)
    except ValueError as exc:
        for sock in sockets:
            sock.close()
        _error(str(exc))
        return EXIT_USAGE
    return Demo(args, paths, sockets, real_model, lab_cmd)


def _install_stop_handlers(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> Callable[[], None]:
    """Ctrl-C and SIGTERM set ``stop``; returns a function that puts the quiet-exit handlers back."""
    signals = (signal.SIGINT, signal.SIGTERM)

    def restore() -> None:
        for sig in signals:
            if loop_handlers:
                loop.remove_signal_handler(sig)
            signal.signal(sig, _interrupt)

    loop_handlers = True
    try:
        for sig in signals:
            loop.add_signal_handler(sig, stop.set)
    except NotImplementedError:  # Windows has no loop signal handlers
        loop_handlers = False
        for sig in signals:
            signal.signal(sig, lambda signum, frame: loop.call_soon_threadsafe(stop.set))
    return restore


def _build_servers(demo: Demo) -> Servers:
    """The uvicorn servers for AgentOS and (unless --no-a2a) the a2a-sdk app, not yet started."""
    from agentnb.demo.server import Servers, build_agentos_app

    servers = Servers()
    agentos_app = build_agentos_app(
        demo.paths, security_key=demo.args.security_key, a2a=not demo.args.no_a2a, real_model=demo.real_model
    )
    servers.add(agentos_app, demo.sockets[0])
    if demo.a2a_url is not None:
        from agentnb.demo.a2a_server import build_app

        servers.add(build_app(demo.a2a_url), demo.sockets[1])
    return servers


async def _start_lab(demo: Demo, cmd: list[str]) -> asyncio.subprocess.Process:
    from agentnb.demo import lab

    # Notebooks can read these instead of hard-coding the demo's address.
    env = {**os.environ, **env_vars(demo)}
    print(f"agentnb demo: starting JupyterLab: {' '.join(cmd)}", flush=True)
    return await lab.start_lab(cmd, env)


async def _run(demo: Demo, servers: Servers) -> int:
    from agentnb.demo.server import wait_healthy

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    restore = _install_stop_handlers(loop, stop)
    lab_process = None
    code = EXIT_OK
    try:
        servers.start()
        healthy = asyncio.ensure_future(wait_healthy(f"{demo.url}/health", servers))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait([healthy, stopping], return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            healthy.cancel()
            return EXIT_OK
        if not healthy.result():
            _error("the server did not start: " + ("; ".join(servers.errors()) or "see the messages above"))
            return EXIT_FAILED
        print(banner(demo), flush=True)
        waits: list[asyncio.Future[Any]] = [stopping, *servers.tasks]
        if demo.lab_cmd is not None:
            lab_process = await _start_lab(demo, demo.lab_cmd)
            waits.append(asyncio.ensure_future(lab_process.wait()))
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not stop.is_set() and servers.failed():
            _error("a server stopped unexpectedly (" + ("; ".join(servers.errors()) or "no error") + ")")
            code = EXIT_FAILED
        elif not stop.is_set() and lab_process is not None and lab_process.returncode is not None:
            print(f"agentnb demo: JupyterLab exited (code {lab_process.returncode}); stopping the demo")
            code = EXIT_OK if lab_process.returncode == 0 else EXIT_FAILED
    finally:
        if lab_process is not None:
            from agentnb.demo import lab

            await lab.stop_lab(lab_process)
        await servers.stop()
        restore()
    return code


def run_demo(args: argparse.Namespace, lab_args: list[str] | None = None) -> int:
    """Run the demo until Ctrl-C / SIGTERM (or until JupyterLab exits, with --lab)."""
    os.environ.setdefault("AGNO_TELEMETRY", "false")
    if args.security_key is None:
        # An inherited OS_SECURITY_KEY would silently turn auth on: only --security-key does.
        os.environ.pop("OS_SECURITY_KEY", None)
    prepared = _prepare(args, lab_args or [])
    if isinstance(prepared, int):
        return prepared
    try:
        code = asyncio.run(_run(prepared, _build_servers(prepared)))
    finally:
        for sock in prepared.sockets:
            sock.close()
    print("agentnb demo: stopped", flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    """The ``agentnb`` console script: ``agentnb demo [options]``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lab_args: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, lab_args = argv[:at], argv[at + 1 :]
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command != "demo":
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if threading.current_thread() is not threading.main_thread():
        _error("run the demo from the main thread (it handles Ctrl-C and SIGTERM)")
        return EXIT_USAGE
    # Until the event loop takes over, SIGTERM behaves like Ctrl-C: a quiet exit, no traceback.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return run_demo(args, lab_args)
    except KeyboardInterrupt:
        print("agentnb demo: stopped", flush=True)
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            if handler is not None:
                signal.signal(sig, handler)
