"""A2A extensions: which ones a call activates, the header that says so, and the card's demands.

A client activates an extension by listing its URI in a header on each request: ``A2A-Extensions``
in v1.0, ``X-A2A-Extensions`` in v0.3 (a2a-sdk's compat layer accepts both; reference §1). A card
lists the extensions it knows in ``capabilities.extensions``; one marked ``required`` must be
activated, or the server may refuse the call, so we refuse it first and say which is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agentnb.a2a.agent_card import AgentCard
from agentnb.errors import A2AError, ConfigurationError

__all__ = ["activated", "check_required", "extensions_header"]

#: URIs are untrusted when they come back in errors; a header of thousands of them is a mistake.
_MAX_EXTENSIONS = 64
_MAX_URI = 2048


def activated(*groups: Iterable[str] | None) -> list[str]:
    """The URIs of every group (client-wide, then per call), each once, in order."""
    out: list[str] = []
    for group in groups:
        for uri in group or ():
            if not isinstance(uri, str) or not uri.strip():
                raise ConfigurationError(f"an extension is named by its URI (a string), not {uri!r}")
            uri = uri.strip()
            if "," in uri or any(ord(c) < 33 for c in uri) or len(uri) > _MAX_URI:
                # A comma would split it in the header; control characters would break the header.
                raise ConfigurationError(f"not a usable extension URI: {uri[:100]!r}")
            if uri not in out:
                out.append(uri)
    if len(out) > _MAX_EXTENSIONS:
        raise ConfigurationError(f"{len(out)} extensions activated; at most {_MAX_EXTENSIONS}")
    return out


def extensions_header(version: str, uris: Sequence[str]) -> dict[str, str]:
    """The header that activates ``uris`` in this protocol version (none when there are none)."""
    if not uris:
        return {}
    name = "A2A-Extensions" if version.startswith("1") else "X-A2A-Extensions"
    return {name: ", ".join(uris)}


def check_required(card: AgentCard | None, uris: Sequence[str], url: str) -> None:
    """Raise A2AError -32008 when the card requires an extension that ``uris`` does not activate."""
    if card is None:
        return
    missing = [uri for uri in card.required_extensions if uri not in uris]
    if missing:
        shown = ", ".join(repr(u[:200]) for u in missing[:5])
        raise A2AError(
            f"{card.name or url} requires the A2A extension(s) {shown}, which this client did not "
            "activate; pass extensions=[...] to A2AClient or to the call (nothing was sent)",
            code=-32008,
            reason="EXTENSION_SUPPORT_REQUIRED",
            url=url,
        )
