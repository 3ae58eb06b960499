"""The features peer's dialects, as matrix combos (tests/conftest.py prints one row per combo)."""

from __future__ import annotations

import httpx

from tests.a2a.test_matrix import Combo

FEATURE_COMBOS = [
    Combo("features", "json-rpc", "1.0", "A2A v1.0 JSON-RPC"),
    Combo("features", "rest", "1.0", "A2A v1.0 REST"),
]
FEATURE_IDS = [c.name for c in FEATURE_COMBOS]


class RecordingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that notes every request and the status it got (to see 304s and
    requests that were never sent)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str, int, dict[str, str]]] = []
        self.bodies: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(await request.aread())
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.method, request.url.path, response.status_code, dict(request.headers)))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
