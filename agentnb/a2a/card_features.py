"""What A2AClient does with a card beyond negotiation: the extended card, signatures, extensions.

A mixin so that ``client.py`` stays one idea (talking to the agent); the state it reads is set up in
``A2AClient.__init__``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb._http import HTTPClient
from agentnb.a2a.agent_card import AgentCard
from agentnb.a2a.card import card_from_wire
from agentnb.a2a.card_cache import CardCache
from agentnb.a2a.dialects import Call, Dialect
from agentnb.a2a.extensions import activated, check_required, extensions_header
from agentnb.a2a.signing import CardKeys, UnverifiedCardError, signature_status
from agentnb.errors import A2AError

__all__ = ["CardFeatures"]


class CardFeatures:
    """The extended card, signature checks and extension headers of an A2AClient."""

    base_url: str
    http: HTTPClient
    extensions: list[str]
    require_signed_card: bool
    card_keys: CardKeys | None
    card_cache: CardCache
    _card: AgentCard | None
    _extended_card: AgentCard | None

    async def aget_agent_card(
        self, *, refresh: bool = False, headers: Mapping[str, str] | None = None
    ) -> AgentCard | None:
        raise NotImplementedError  # A2AClient's

    async def anegotiate(self) -> Dialect:
        raise NotImplementedError  # A2AClient's

    async def _call(
        self,
        dialect: Dialect,
        call: Call,
        headers: Mapping[str, str] | None = None,
        extensions: Sequence[str] | None = None,
    ) -> Any:
        raise NotImplementedError  # A2AClient's

    # -- signatures ----------------------------------------------------------------------------

    async def _checked(self, payload: Any, url: str) -> AgentCard:
        """Decode a card and set its ``signature_status``."""
        card = card_from_wire(payload, url)
        card.signature_status = await signature_status(
            payload, card_url=url, keys=self.card_keys, fetch_json=self._fetch_jwks
        )
        return card

    def _refuse_unverified(self, card: AgentCard) -> None:
        if self.require_signed_card and card.signature_status != "verified":
            error = UnverifiedCardError(
                f"the agent card at {card.card_url} is {card.signature_status}, and this client was "
                "made with require_signed_card=True: nothing will be sent to it",
                url=card.card_url,
            )
            error.card = card
            raise error

    async def _fetch_jwks(self, url: str) -> Any:
        return await self.http.request_json("GET", url)

    # -- extensions ----------------------------------------------------------------------------

    def _extension_headers(self, dialect: Dialect, per_call: Sequence[str] | None) -> dict[str, str]:
        """The extensions header for a call, after checking the card's required extensions."""
        uris = activated(self.extensions, per_call)
        check_required(self._card, uris, dialect.url)
        return extensions_header(dialect.version, uris)

    # -- the authenticated extended card -------------------------------------------------------

    async def aget_extended_agent_card(self, *, headers: Mapping[str, str] | None = None) -> AgentCard:
        """The authenticated extended agent card, fetched with the client's auth.

        Raises A2AError -32007 when the public card does not offer one (nothing is sent), and
        AuthenticationError (401/403) when the server refuses the credentials. The extended
        card's ``extra_skills`` names the skills the public card does not show.
        """
        card = await self.aget_agent_card()
        if card is not None and not card.supports_extended_card:
            raise A2AError(
                f"{card.name or self.base_url} does not offer an authenticated extended card "
                "(capabilities.extendedAgentCard / supportsAuthenticatedExtendedCard is not set)",
                code=-32007,
                reason="EXTENDED_AGENT_CARD_NOT_CONFIGURED",
                url=self.base_url,
            )
        dialect = await self.anegotiate()
        payload = dialect.decode_card(await self._call(dialect, dialect.extended_card(), headers))
        extended = await self._checked(payload, dialect.url)
        self._refuse_unverified(extended)
        extended.extended = True
        public = {str(s.get("id") or s.get("name")) for s in (card.skills if card else [])}
        extended.extra_skills = [
            str(s.get("name") or s.get("id"))
            for s in extended.skills
            if str(s.get("id") or s.get("name")) not in public
        ]
        self._extended_card = extended
        return extended

    get_extended_agent_card = _sync.twin(aget_extended_agent_card)

    @property
    def extended_card(self) -> AgentCard | None:
        """The extended card once ``aget_extended_agent_card()`` fetched it."""
        return self._extended_card
