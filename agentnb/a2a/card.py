"""Agent cards: decoding (v0.3, v1.0 and v1.0 with v0.3 compat fields) and choosing the dialect to speak.

The dialect comes from the card, the user's explicit choices, and a hint.

Rules (reference/a2a-protocol.md §3, §9):
- An explicit ``protocol`` ("rest" / "json-rpc" / "grpc") or ``version`` ("0.3" / "1.0") always wins.
- Otherwise the card decides: v1.0 interfaces (``supportedInterfaces``) before v0.3 ones
  (``url`` + ``preferredTransport``, then ``additionalInterfaces``), in the card's order.
- Agno advertises a v0.3 ``url`` ending in ``/v1/message:stream`` that is not a JSON-RPC endpoint:
  that card means Agno's dialect, rooted at the agent's path.
- gRPC (v1.0; v0.3's send/stream/get/cancel/resubscribe) is a candidate when the ``grpc`` extra
  is installed; a card that offers only gRPC without it is a ConfigurationError naming the extra,
  never a guess over HTTP.
- Without a card, the hint (agno's default "rest") picks the binding, and v0.3 is assumed.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from agentnb.a2a.dialects import Dialect, dialect_for
from agentnb.a2a.grpc import GRPC_EXTRA_HINT, grpc_available
from agentnb.a2a.models import AgentCard, AgentInterface
from agentnb.errors import ConfigurationError, ProtocolError

__all__ = ["CARD_PATH", "LEGACY_CARD_PATH", "Binding", "card_from_wire", "choose_dialect"]

CARD_PATH = "/.well-known/agent-card.json"
LEGACY_CARD_PATH = "/.well-known/agent.json"

Binding = Literal["rest", "json-rpc", "grpc"]

_AGNO_URL = re.compile(r"^(?P<base>.+?)/v1/message:(stream|send)/?$")
_AGNO_PATH = re.compile(r"/a2a/(agents|teams|workflows)/[^/]+/?$")
_SUPPORTED = ("JSONRPC", "HTTP+JSON", "AGNO")
_UNSPECIFIED = ("0.0.0.0", "::")


def _normalise(interface: AgentInterface) -> AgentInterface:
    binding = interface.binding.upper().replace("_", "+")
    if binding in ("HTTP", "REST", "HTTP+JSON"):
        binding = "HTTP+JSON"
    elif binding.replace("-", "").replace("+", "") == "JSONRPC":  # "JSON-RPC", "json_rpc"
        binding = "JSONRPC"
    match = _AGNO_URL.match(interface.url)
    if not interface.protocol_version.startswith("1") and match is not None:
        return AgentInterface(url=match["base"], binding="AGNO", protocol_version="0.3")
    return AgentInterface(
        url=interface.url,
        binding=binding,
        protocol_version="1.0" if interface.protocol_version.startswith("1") else "0.3",
        tenant=interface.tenant,
    )


def _wanted_bindings(protocol: Binding) -> tuple[str, ...]:
    return {"rest": ("HTTP+JSON", "AGNO"), "grpc": ("GRPC",)}.get(protocol, ("JSONRPC",))


def _usable(interface: AgentInterface) -> bool:
    if interface.binding == "GRPC":
        return grpc_available()
    return interface.binding in _SUPPORTED


def choose_dialect(
    card: AgentCard | None,
    base_url: str,
    *,
    protocol: Binding | None = None,
    version: str | None = None,
    hint: Binding = "rest",
) -> Dialect:
    """The dialect to use; ``protocol``/``version`` are explicit user choices, ``hint`` is not."""
    if protocol is not None and protocol not in ("rest", "json-rpc", "grpc"):
        raise ConfigurationError(f"protocol must be 'rest', 'json-rpc' or 'grpc', not {protocol!r}")
    if version is not None and not version.startswith(("0.3", "1")):
        raise ConfigurationError(f"A2A version must be '0.3' or '1.0', not {version!r}")
    major = None if version is None else ("1.0" if version.startswith("1") else "0.3")
    candidates = [_normalise(i) for i in (card.interfaces if card else [])]
    candidates = [i for i in candidates if _usable(i)]
    if major is not None:
        candidates = [i for i in candidates if i.protocol_version == major]
    if protocol is not None:
        candidates = [i for i in candidates if i.binding in _wanted_bindings(protocol)]
    if candidates:
        # Newest version first; the card's own order (its preference) within a version.
        candidates.sort(key=lambda i: 0 if i.protocol_version == "1.0" else 1)
        chosen = candidates[0]
        return dialect_for(chosen.protocol_version, chosen.binding, chosen.url, tenant=chosen.tenant)
    _refuse_grpc_only(card, protocol, version)
    # No usable interface on the card (or no card): build from the base URL.
    binding = protocol or hint
    if binding == "grpc":  # v1.0 unless asked for v0.3: the card said nothing
        return dialect_for(version if version is not None else "1.0", "GRPC", base_url)
    if major is None:
        card_versions = {_normalise(i).protocol_version for i in card.interfaces} if card else set()
        major = "1.0" if "1.0" in card_versions else "0.3"
    if binding == "json-rpc":
        return dialect_for(major, "JSONRPC", base_url)
    if major == "0.3" and _AGNO_PATH.search(base_url):
        return dialect_for("0.3", "AGNO", base_url)
    return dialect_for(major, "HTTP+JSON", base_url)


def _refuse_grpc_only(card: AgentCard | None, protocol: Binding | None, version: str | None) -> None:
    """gRPC wanted but not installed, or a card that offers only gRPC we cannot use: say why.

    Such a card must not be guessed at over HTTP.
    """
    if protocol == "grpc" and not grpc_available():
        raise ConfigurationError(
            f"protocol='grpc' needs grpcio and protobuf, the 'grpc' extra: {GRPC_EXTRA_HINT}; "
            "nothing was sent"
        )
    if card is None or protocol not in (None, "grpc") or version is not None or not card.interfaces:
        return
    bindings = {_normalise(i).binding for i in card.interfaces}
    if bindings == {"GRPC"} and not grpc_available():
        raise ConfigurationError(
            f"{card.name or 'this agent'} offers only the gRPC binding, which needs grpcio and "
            f"protobuf, the 'grpc' extra: {GRPC_EXTRA_HINT}; nothing was sent"
        )


def card_from_wire(payload: Any, card_url: str) -> AgentCard:
    """Decode a v0.3 or v1.0 agent card (or a v1.0 card carrying the v0.3 compat fields)."""
    if not isinstance(payload, dict):
        raise ProtocolError(f"agent card at {card_url} is not a JSON object", raw=str(payload)[:500])
    interfaces: list[AgentInterface] = []
    for entry in payload.get("supportedInterfaces") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            interfaces.append(
                AgentInterface(
                    url=entry["url"],
                    # ``transport``: v0.3's AgentInterface field, kept by some v1.0 cards
                    binding=str(entry.get("protocolBinding") or entry.get("transport") or "JSONRPC").upper(),
                    protocol_version=str(entry.get("protocolVersion") or "1.0"),
                    tenant=entry.get("tenant") or None,
                )
            )
    legacy_version = str(payload.get("protocolVersion") or "0.3")
    if isinstance(payload.get("url"), str) and payload["url"]:
        interfaces.append(
            AgentInterface(
                url=payload["url"],
                binding=str(payload.get("preferredTransport") or "JSONRPC").upper(),
                protocol_version=legacy_version,
            )
        )
    for entry in payload.get("additionalInterfaces") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            interfaces.append(
                AgentInterface(
                    url=entry["url"],
                    binding=str(entry.get("transport") or "JSONRPC").upper(),
                    protocol_version=legacy_version,
                )
            )
    # The spec's URLs are absolute, but a card may name them relative to where it was served.
    interfaces = [i.model_copy(update={"url": _absolute(i.url, card_url)}) for i in interfaces]
    capabilities = payload.get("capabilities")
    skills = payload.get("skills")
    card = AgentCard(
        name=str(payload.get("name") or ""),
        url=_absolute(
            str(payload.get("url") or (interfaces[0].url if interfaces else _served_from(card_url))), card_url
        ),
        description=payload.get("description"),
        version=payload.get("version"),
        capabilities=capabilities if isinstance(capabilities, dict) else {},
        metadata=payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None,
        skills=[s for s in skills if isinstance(s, dict)] if isinstance(skills, list) else [],
        protocol_version=payload.get("protocolVersion")
        or next((i.protocol_version for i in interfaces if i.protocol_version.startswith("1")), None),
        preferred_transport=payload.get("preferredTransport"),
        interfaces=interfaces,
        default_input_modes=_strings(payload.get("defaultInputModes")),
        default_output_modes=_strings(payload.get("defaultOutputModes")),
        card_url=card_url,
    )
    card.raw = payload
    return card


def _absolute(url: str, card_url: str) -> str:
    """``url`` resolved against the card's own URL when it is a relative path (RFC 3986), else as it is.

    A server listening on every address may advertise that address (``http://0.0.0.0:8000/``),
    which no client can reach it at: the host the card came from stands in for it.
    """
    served = urlsplit(card_url)
    if not served.scheme.startswith("http"):
        return url
    if url.startswith(("/", "./", "../")):  # not "host:port" (a gRPC target) nor a bare word
        return urljoin(card_url, url)
    parts = urlsplit(url)
    if parts.hostname in _UNSPECIFIED and served.hostname:
        host = f"[{served.hostname}]" if ":" in served.hostname else served.hostname
        return parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")).geturl()
    return url


def _served_from(card_url: str) -> str:
    """A card without ``url`` (or any interface): the agent is where its card was fetched from."""
    for suffix in (CARD_PATH, LEGACY_CARD_PATH):
        if card_url.endswith(suffix):
            return card_url[: -len(suffix)]
    return card_url


def _strings(value: Any) -> list[str]:
    # A loose card may send one mode as a plain string, or junk: never split a string into letters.
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []
