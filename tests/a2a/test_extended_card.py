"""The authenticated extended card (issue 14, item 3) against the a2a-sdk 1.x features peer."""

from __future__ import annotations

import pandas as pd
import pytest

from agentnb import A2AError, AuthenticationError
from agentnb.a2a import A2AClient
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS, RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import EXTENDED_SKILL, FEATURES_TOKEN, A2APeer

pytestmark = pytest.mark.peer


def client_for(combo: Combo, peer: A2APeer, **kwargs: object) -> A2AClient:
    return A2AClient(peer.base_url, protocol=combo.protocol, a2a_version=combo.version, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_extended_card(combo: Combo, features_peer: A2APeer) -> None:
    client = client_for(combo, features_peer, auth_token=FEATURES_TOKEN)
    public = await client.aget_agent_card()
    assert public is not None and public.supports_extended_card and not public.extended
    extended = await client.aget_extended_agent_card()
    assert client.dialect == combo.dialect
    assert extended.extended and client.extended_card is extended
    assert extended.extra_skills == [EXTENDED_SKILL]
    assert {s["name"] for s in extended.skills} == {s["name"] for s in public.skills} | {EXTENDED_SKILL}
    # The card view marks the extra skill.
    assert f"skill (extended): {EXTENDED_SKILL}" in extended._repr_markdown_()
    assert "skill (extended)" not in public._repr_markdown_()


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_extended_card_without_credentials(combo: Combo, features_peer: A2APeer) -> None:
    for token in (None, "wrong-token"):
        client = client_for(combo, features_peer, auth_token=token)
        with pytest.raises(AuthenticationError) as info:
            await client.aget_extended_agent_card()
        assert info.value.status_code == 401 and client.extended_card is None
        assert ("No Authorization header was sent" in str(info.value)) is (token is None)
        assert "wrong-token" not in str(info.value) and "wrong-token" not in repr(client)


def test_extended_card_sync_twin(features_peer: A2APeer) -> None:
    client = A2AClient(features_peer.base_url, auth_token=FEATURES_TOKEN)
    assert client.get_extended_agent_card().extra_skills == [EXTENDED_SKILL]
    # The older name still works.
    assert client.get_extended_card().extended


async def test_a_card_without_an_extended_card_is_refused_before_sending(
    a2a_peers: dict[str, A2APeer],
) -> None:
    transport = RecordingTransport()
    peer = a2a_peers["v1"]  # its card does not set capabilities.extendedAgentCard
    client = A2AClient(peer.base_url, auth_token=FEATURES_TOKEN, transport=transport)
    await client.aget_agent_card()
    with pytest.raises(A2AError) as info:
        await client.aget_extended_agent_card()
    assert info.value.code == -32007 and "does not offer" in str(info.value)
    assert [(method, path) for method, path, *_ in transport.seen] == [
        ("GET", "/.well-known/agent-card.json")
    ]


async def test_agent_cards_table_shows_the_extended_skills(features_peer: A2APeer) -> None:
    from agentnb.tables import aagent_cards_table

    authorised = A2AClient(features_peer.base_url, auth_token=FEATURES_TOKEN)
    anonymous = A2AClient(features_peer.base_url)
    df = await aagent_cards_table([authorised, anonymous, features_peer.base_url], extended=True)
    rows = df.to_dict("records")
    assert [r["extended_card"] for r in rows] == [True, True, True]
    assert [r["push"] for r in rows] == [True, True, True]
    assert rows[0]["extra_skills"] == EXTENDED_SKILL and pd.isna(rows[0]["error"])
    for row in rows[1:]:  # no token: the row stays, the refusal is in error
        assert row["name"] == "agentnb-a2a-v1-features-peer" and pd.isna(row["extra_skills"])
        assert row["error"].startswith("A2AAuthenticationError: HTTP 401")
    assert "(tenant acme)" in rows[0]["interfaces"]
    # Without extended=True nothing more is fetched; a client that already has it shows it.
    again = await aagent_cards_table([authorised, anonymous])
    assert list(again["extra_skills"].fillna("-")) == [EXTENDED_SKILL, "-"]
    assert list(again["error"].isna()) == [True, True]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_a_wrong_token_is_unauthenticated_in_the_a2a_sense_too(
    combo: Combo, features_peer: A2APeer
) -> None:
    # The peer answers {"error": {"code": 401, "status": "UNAUTHENTICATED"}}: one error, both families.
    client = client_for(combo, features_peer, auth_token="wrong-token")
    with pytest.raises(AuthenticationError) as info:
        await client.aget_extended_agent_card()
    assert isinstance(info.value, A2AError) and info.value.reason == "UNAUTHENTICATED"
    assert "value hidden" in str(info.value)
    # A right token on the same client afterwards works: nothing was cached from the refusal.
    client.http.auth_token = FEATURES_TOKEN
    assert (await client.aget_extended_agent_card()).extra_skills == [EXTENDED_SKILL]


@pytest.mark.parametrize("protocol", ["json-rpc", "rest"])
async def test_v03_extended_card_refused_inside_an_a2a_error(
    protocol: str, a2a_peers: dict[str, A2APeer]
) -> None:
    # a2a-sdk 0.3.26 answers a refused extended card with its own error: over JSON-RPC an HTTP 200
    # whose error names HTTP 401 in its data, over REST an HTTP 400 saying "Unauthenticated".
    from tests.peers.a2a_server_v03 import EXTENDED_SKILL_V03, V03_TOKEN

    peer = a2a_peers["v03"]
    for token in (None, "wrong-token"):
        client = A2AClient(peer.base_url, protocol=protocol, auth_token=token)  # type: ignore[arg-type]
        public = await client.aget_agent_card()
        assert public is not None and public.supports_extended_card
        with pytest.raises(AuthenticationError) as info:
            await client.aget_extended_agent_card()
        refusal = info.value
        assert isinstance(refusal, A2AError) and refusal.reason == "UNAUTHENTICATED"
        assert refusal.status_code == (401 if protocol == "json-rpc" else 400)
        assert ("value hidden" in str(refusal)) is (token is not None) and "wrong-token" not in str(refusal)
        assert client.extended_card is None
    authorised = A2AClient(peer.base_url, protocol=protocol, auth_token=V03_TOKEN)  # type: ignore[arg-type]
    assert (await authorised.aget_extended_agent_card()).extra_skills == [EXTENDED_SKILL_V03]
