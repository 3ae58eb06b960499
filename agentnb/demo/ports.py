"""Binding the demo's ports up front, and the URLs clients use to reach them."""

from __future__ import annotations

import errno
import os
import socket

_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE


class PortBusyError(OSError):
    """The port is taken by another process."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(f"port {port} on {host} is already in use ({reason})")
        self.host, self.port = host, port


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, bound now so the port cannot be lost to a race."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # on POSIX this only allows reuse over TIME_WAIT, not a second listener
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno in _IN_USE or getattr(exc, "winerror", None) in _IN_USE:
            raise PortBusyError(host, port, exc.strerror or str(exc)) from exc
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def connect_host(host: str) -> str:
    """The host a client on this machine should use for a server bound to ``host``."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host in ("::", "[::]"):
        return "[::1]"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def base_url(host: str, port: int) -> str:
    """``http://host:port`` for a server bound to ``host``."""
    return f"http://{connect_host(host)}:{port}"


def suggest_port(host: str, after: int, pair: bool = True) -> int | None:
    """A port above ``after`` that is free right now (with the next one too, if ``pair``)."""
    for port in range(after + 2, min(after + 100, 65534), 2):
        sockets: list[socket.socket] = []
        try:
            for p in (port, port + 1) if pair else (port,):
                sockets.append(bind(host, p))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return port
    return None
