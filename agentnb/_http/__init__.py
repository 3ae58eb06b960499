"""HTTP plumbing: one httpx.AsyncClient per event loop (``loops``), error mapping (``errors``), and
the client of one server (``client``). The only package that talks to httpx's client directly."""

from agentnb._http.client import HTTPClient
from agentnb._http.errors import ErrorContext, http_error, map_transport_error
from agentnb._http.loops import client_for_running_loop, close_clients_of_running_loop

# The name the concurrency tests reach for.
_client_for_running_loop = client_for_running_loop

__all__ = [
    "ErrorContext",
    "HTTPClient",
    "client_for_running_loop",
    "close_clients_of_running_loop",
    "http_error",
    "map_transport_error",
]
