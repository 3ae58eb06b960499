"""What every AgentOS route group shares: the HTTP client, decoding, and the "not served" error.

The route groups (memories, knowledge, traces, evals, metrics) are mixins of AgentOSClient, each
in its own module so that no module grows past what one person reads at once.
"""

from __future__ import annotations

from typing import Any

from agentnb._http import ErrorContext, HTTPClient
from agentnb._model import W
from agentnb.errors import EndpointNotServedError, NotFoundError, ProtocolError

__all__ = ["Routes", "db_params", "many", "one"]

#: FastAPI's own detail for a path no route matches (a missing resource has a sentence instead).
_NO_ROUTE_DETAIL = "Not Found"


class Routes:
    """Base of the route-group mixins: needs ``http`` (set by AgentOSClient)."""

    http: HTTPClient

    async def _call(
        self,
        method: str,
        path: str,
        *,
        endpoint: str | None = None,
        what: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """``request_json``, with a 404 for an unknown route raised as EndpointNotServedError.

        ``endpoint`` is the route's template ("GET /traces/{trace_id}") for the message.
        """
        if what is not None:
            kwargs["context"] = ErrorContext(None, what)
        try:
            return await self.http.request_json(method, path, **kwargs)
        except NotFoundError as exc:
            if exc.detail != _NO_ROUTE_DETAIL:
                raise
            name = endpoint or f"{method} {path}"
            error = EndpointNotServedError(
                f"{name}: {self.http.base_url} does not serve this endpoint (HTTP 404). It may be an "
                "older AgentOS, or the feature (knowledge, tracing, evals, a database) is not set up "
                "on it.",
                request=exc.request,
                response=exc.response,
                detail=exc.detail,
            )
            error.endpoint = name
            raise error from exc


def db_params(db_id: str | None, table: str | None = None, **more: Any) -> dict[str, Any]:
    """Query parameters with the database selectors agno's routes take (None is left out later)."""
    return {"db_id": db_id, "table": table, **more}


def one(cls: type[W], data: Any, what: str) -> W:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}", raw=str(data)[:500])
    return cls.from_wire(data)


def many(cls: type[W], data: Any, what: str) -> list[W]:
    if not isinstance(data, list):
        raise ProtocolError(f"{what}: expected a JSON array, got {type(data).__name__}", raw=str(data)[:500])
    return [cls.from_wire(item) for item in data if isinstance(item, dict)]
