"""Run ``python -m agentnb.demo`` as a real process on free 127.0.0.1 ports, for the demo tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port_pair(host: str = "127.0.0.1") -> int:
    """A port P such that P and P+1 were both free a moment ago."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = int(s.getsockname()[1])
        if port < 65534 and port_is_free(port + 1, host):
            return port
    raise RuntimeError("no free pair of ports")


def demo_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OS_SECURITY_KEY", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["AGNO_TELEMETRY"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


class DemoProcess:
    """A running demo; its combined stdout/stderr is collected line by line."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.cmd = [sys.executable, "-m", "agentnb.demo", *args]
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.cmd,
            cwd=str(REPO),
            env=env or demo_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("ready:"):
                self.ready.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_healthy(self, url: str, timeout: float = READY_TIMEOUT) -> float:
        """Seconds from process start until ``GET url/health`` answered 200."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self._reader.join(5)
                    raise RuntimeError(f"demo exited with {self.process.returncode}:\n{self.output}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{url}/health").status_code == 200:
                        return time.monotonic() - self.started_at
                time.sleep(0.02)
        raise RuntimeError(f"demo not healthy after {timeout}s:\n{self.output}")

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        if not self.ready.wait(timeout):
            raise RuntimeError(f"no ready line after {timeout}s:\n{self.output}")

    def wait_exit(self, timeout: float = 30.0) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(5)
        return code

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM by pid; returns the exit code (kills after ``timeout``)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
        try:
            return self.wait_exit(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.wait_exit(5)
            raise
