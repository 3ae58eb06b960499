"""The agent card model: who an agent is, how to reach it, what it can do, and whether to trust it.

Decoding from the wire lives in ``card.py``; fetching with caching in ``card_cache.py``; signature
checks in ``signing.py``. This module only holds the shapes (and their notebook reprs).
"""

from __future__ import annotations

import reprlib
from typing import Any

from pydantic import Field

from agentnb._model import WireModel
from agentnb._repr import html_card, markdown_card

__all__ = ["AgentCard", "AgentInterface"]

#: How many skills / extensions a repr lists before it stops (a card is untrusted input).
_REPR_ITEMS = 20
#: How much of one card value a repr shows: a card's strings can be as long as its server likes.
_REPR_VALUE = 300
_SHORT = reprlib.Repr()  # Python 3.11's Repr takes no arguments: its limits are attributes
_SHORT.maxstring = _SHORT.maxother = _REPR_VALUE
_SHORT.maxlist = _SHORT.maxdict = _REPR_ITEMS


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else None
    if text is None or len(text) <= _REPR_VALUE:
        return value
    return f"{text[:_REPR_VALUE]}… ({len(text) - _REPR_VALUE} more characters)"


class AgentInterface(WireModel):
    """One way to reach an agent: a URL, a binding and a protocol version."""

    url: str
    binding: str  # "JSONRPC", "HTTP+JSON", "GRPC", or "AGNO" for Agno's dialect
    protocol_version: str = "0.3"
    tenant: str | None = None


class AgentCard(WireModel):
    """An agent card (agno's ``AgentCard`` fields, plus what negotiation needs)."""

    name: str = ""
    url: str = ""
    description: str | None = None
    version: str | None = None
    capabilities: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] | None = None
    skills: list[dict[str, Any]] = Field(default_factory=list)
    protocol_version: str | None = None
    preferred_transport: str | None = None
    interfaces: list[AgentInterface] = Field(default_factory=list)
    default_input_modes: list[str] = Field(default_factory=list)
    default_output_modes: list[str] = Field(default_factory=list)
    #: The URL the card was fetched from.
    card_url: str | None = None
    #: True for the authenticated extended card (``aget_extended_agent_card``).
    extended: bool = False
    #: On an extended card: the names of the skills the public card does not list.
    extra_skills: list[str] = Field(default_factory=list)
    #: "verified", "invalid", "unsigned", or "unverifiable (why)"; set by the client that fetched it.
    signature_status: str = "unsigned"

    @property
    def extensions(self) -> list[dict[str, Any]]:
        """The extensions the card declares (``capabilities.extensions``: uri, required, description)."""
        declared = self.capabilities.get("extensions")
        if not isinstance(declared, list):
            return []
        return [e for e in declared if isinstance(e, dict) and isinstance(e.get("uri"), str)]

    @property
    def required_extensions(self) -> list[str]:
        """URIs of the extensions a client must activate to talk to this agent."""
        return [e["uri"] for e in self.extensions if e.get("required") is True]

    @property
    def supports_extended_card(self) -> bool:
        """v1.0 ``capabilities.extendedAgentCard`` or v0.3 ``supportsAuthenticatedExtendedCard``."""
        raw = self.raw or {}
        return self.capabilities.get("extendedAgentCard") is True or (
            raw.get("supportsAuthenticatedExtendedCard") is True
        )

    @property
    def supports_push(self) -> bool:
        return self.capabilities.get("pushNotifications") is True

    @property
    def supports_streaming(self) -> bool:
        return self.capabilities.get("streaming") is True

    @property
    def signatures(self) -> list[dict[str, Any]]:
        """The card's JWS signatures as received (``protected``, ``signature``, ``header``)."""
        found = (self.raw or {}).get("signatures")
        return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []

    def _repr_fields(self) -> list[tuple[str, Any]]:
        interfaces = ", ".join(
            f"{i.binding} {i.protocol_version}" + (f" tenant {i.tenant}" if i.tenant else "")
            for i in self.interfaces
        )
        fields: list[tuple[str, Any]] = [
            ("url", self.url),
            ("version", self.version),
            ("protocol", self.protocol_version),
            ("interfaces", interfaces),
            ("streaming", self.capabilities.get("streaming")),
            ("push", self.capabilities.get("pushNotifications")),
            ("extended card", "this is it" if self.extended else (self.supports_extended_card or None)),
            ("signature", self.signature_status),
        ]
        for ext in self.extensions[:_REPR_ITEMS]:
            label = "extension (required)" if ext.get("required") is True else "extension"
            fields.append((label, ext["uri"]))
        extra = set(self.extra_skills)
        for skill in self.skills[:_REPR_ITEMS]:
            name = str(skill.get("name", "?"))
            label = f"skill (extended): {name}" if name in extra else f"skill: {name}"
            fields.append((label, skill.get("description")))
        return fields

    def _capped_fields(self) -> list[tuple[str, Any]]:
        return [(_short(k), _short(v)) for k, v in self._repr_fields()]

    def _repr_html_(self) -> str:
        return html_card(f"AgentCard: {_short(self.name)}", self._capped_fields(), self.description)

    def _repr_markdown_(self) -> str:
        return markdown_card(f"AgentCard: {_short(self.name)}", self._capped_fields(), self.description)

    def __repr__(self) -> str:
        # pydantic's repr would print every skill and string in full; each value is capped here.
        shown = ", ".join(
            f"{name}={_SHORT.repr(getattr(self, name))}"
            for name, field in type(self).model_fields.items()
            if field.repr
        )
        return f"AgentCard({shown})"
