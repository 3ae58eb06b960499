"""Start and stop the scripted AgentOS test peer (``agentos_server.py``) as a subprocess.

Typical fixture use::

    @pytest.fixture(scope="session")
    def agentos(tmp_path_factory):
        peer = start_agentos(tmp_path_factory.mktemp("agentos"))
        yield peer
        peer.stop()

or ``with agentos_peer(tmp_path) as peer: ...``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx

#: The agents agentos_server.py serves (its teams and workflows are in agentos_teams.py).
PEER_AGENT_IDS = frozenset(
    {
        "assistant", "confirm-agent", "input-agent", "external-agent",
        "attachments", "picture", "memory-agent", "knowledge-agent",
    }
)  # fmt: skip
SERVER_SCRIPT = Path(__file__).resolve().with_name("agentos_server.py")
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
_PORT_ATTEMPTS = 3


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"<no log: {e}>"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class AgentOSPeer:
    """A running ``agentos_server.py`` process."""

    base_url: str
    pid: int
    process: subprocess.Popen[bytes]
    security_key: str | None
    log_path: Path
    db_path: Path | None = None
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def headers(self) -> dict[str, str]:
        """``Authorization`` header for this peer (empty when it has no security key)."""
        return {"Authorization": f"Bearer {self.security_key}"} if self.security_key else {}

    def log_tail(self, lines: int = 40) -> str:
        return _log_tail(self.log_path, lines)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM by pid, wait up to 10 s, then SIGKILL. Safe to call twice."""
        try:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    self.process.wait(timeout=STOP_TIMEOUT)
        finally:
            if self._log_file is not None and not self._log_file.closed:
                self._log_file.close()

    def __enter__(self) -> AgentOSPeer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _launch(
    workdir: Path,
    *,
    port: int,
    host: str,
    security_key: str | None,
    a2a: bool,
    db_path: Path,
    log_path: Path,
) -> AgentOSPeer:
    cmd = [sys.executable, str(SERVER_SCRIPT), "--port", str(port), "--host", host, "--db", str(db_path)]
    if security_key:
        cmd += ["--security-key", security_key]
    if a2a:
        cmd.append("--a2a")
    env = dict(os.environ)
    env.pop("OS_SECURITY_KEY", None)
    env["AGNO_TELEMETRY"] = "false"
    env["PYTHONUNBUFFERED"] = "1"
    log_file = log_path.open("ab")
    log_file.write(f"$ {' '.join(cmd)}\n".encode())
    log_file.flush()
    process = subprocess.Popen(
        cmd,
        cwd=str(workdir),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    return AgentOSPeer(
        base_url=f"http://{host}:{port}",
        pid=process.pid,
        process=process,
        security_key=security_key,
        log_path=log_path,
        db_path=db_path,
        _log_file=log_file,
    )


def _wait_healthy(peer: AgentOSPeer, timeout: float) -> bool:
    """True once GET /health is 200; False if the process exited first. Raises on timeout."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if peer.process.poll() is not None:
                return False
            try:
                if client.get(f"{peer.base_url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    peer.stop()
    raise RuntimeError(
        f"AgentOS peer at {peer.base_url} (pid {peer.pid}) not healthy after {timeout:.0f}s; "
        f"log {peer.log_path}:\n{_log_tail(peer.log_path)}"
    )


def start_agentos(
    workdir: Path,
    *,
    security_key: str | None = None,
    a2a: bool = False,
    host: str = "127.0.0.1",
    timeout: float = STARTUP_TIMEOUT,
) -> AgentOSPeer:
    """Start ``agentos_server.py`` on a free port and wait until ``GET /health`` is 200.

    The SQLite db and the log (``agentos-<port>.log``) go into ``workdir``. Raises
    ``RuntimeError`` with the log tail if the server exits early or is not healthy in time.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    last_error = ""
    for _ in range(_PORT_ATTEMPTS):
        port = free_port(host)
        log_path = workdir / f"agentos-{port}.log"
        db_path = workdir / f"agentos-{port}.db"
        peer = _launch(
            workdir,
            port=port,
            host=host,
            security_key=security_key,
            a2a=a2a,
            db_path=db_path,
            log_path=log_path,
        )
        if _wait_healthy(peer, timeout):
            return peer
        peer.stop()
        tail = _log_tail(log_path)
        last_error = f"AgentOS peer exited early with code {peer.process.returncode}; log {log_path}:\n{tail}"
        if "address already in use" not in tail.lower():
            break  # a real failure, not a lost race for the port
    raise RuntimeError(last_error)


@contextlib.contextmanager
def agentos_peer(
    workdir: Path, *, security_key: str | None = None, a2a: bool = False
) -> Iterator[AgentOSPeer]:
    """Context-manager form of :func:`start_agentos`; stops the peer on exit."""
    peer = start_agentos(workdir, security_key=security_key, a2a=a2a)
    try:
        yield peer
    finally:
        peer.stop()
