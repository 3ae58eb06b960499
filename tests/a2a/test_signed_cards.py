"""Signed agent cards (issue 14, item 4) against a2a-sdk 1.3.0 signing its own card.

The features peer signs its public card per request with a2a-sdk's ``create_agent_card_signer``
(ES256, ``kid``, ``jku`` = its ``/jwks.json``); ``/tampered/`` edits the description after signing;
``/unsigned/`` has no signature.
"""

from __future__ import annotations

import httpx
import pytest

from agentnb.a2a import A2AClient
from agentnb.a2a.signing import UnverifiedCardError
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS, RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import FEATURES_KID, A2APeer

pytestmark = pytest.mark.peer

TAMPERED = "/tampered/.well-known/agent-card.json"
UNSIGNED = "/unsigned/.well-known/agent-card.json"


def client_for(combo: Combo, peer: A2APeer, **kwargs: object) -> A2AClient:
    return A2AClient(peer.base_url, protocol=combo.protocol, a2a_version=combo.version, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_signature_good(combo: Combo, features_peer: A2APeer) -> None:
    transport = RecordingTransport()
    client = client_for(combo, features_peer, require_signed_card=True, transport=transport)
    card = await client.aget_agent_card()
    assert card is not None and card.signature_status == "verified" and card.signatures
    assert "signature: verified" in card._repr_markdown_()
    # The key came from the card's jku, over the client's own connection.
    assert ("GET", "/jwks.json") in [(m, p) for m, p, *_ in transport.seen]
    assert (await client.send_message("hello signed")).is_completed
    assert client.dialect == combo.dialect


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_signature_tampered(combo: Combo, features_peer: A2APeer) -> None:
    url = features_peer.base_url + TAMPERED
    lenient = client_for(combo, features_peer, card_url=url)
    card = await lenient.aget_agent_card()
    assert card is not None and card.signature_status == "invalid"
    assert card.description == "Trust me, I am someone else."
    transport = RecordingTransport()
    strict = client_for(combo, features_peer, card_url=url, require_signed_card=True, transport=transport)
    with pytest.raises(UnverifiedCardError) as info:
        await strict.send_message("hello")
    assert "invalid" in str(info.value) and info.value.card.signature_status == "invalid"
    assert not [p for m, p, *_ in transport.seen if m == "POST"]  # nothing was sent to the agent


async def test_unsigned_and_unverifiable_cards(features_peer: A2APeer) -> None:
    unsigned = A2AClient(features_peer.base_url, card_url=features_peer.base_url + UNSIGNED)
    assert (await unsigned.aget_agent_card()).signature_status == "unsigned"  # type: ignore[union-attr]
    with pytest.raises(UnverifiedCardError, match="unsigned"):
        await A2AClient(
            features_peer.base_url, card_url=features_peer.base_url + UNSIGNED, require_signed_card=True
        ).aget_agent_card()
    # Reached as "localhost", the card's jku (127.0.0.1) is another origin: not followed.
    port = httpx.URL(features_peer.base_url).port
    other = A2AClient(f"http://localhost:{port}")
    status = (await other.aget_agent_card()).signature_status  # type: ignore[union-attr]
    assert status.startswith("unverifiable (") and "not on the card's origin" in status


async def test_caller_given_keys(features_peer: A2APeer) -> None:
    async with httpx.AsyncClient() as http:
        jwks = (await http.get(features_peer.base_url + "/jwks.json")).json()
    transport = RecordingTransport()
    trusted = A2AClient(features_peer.base_url, card_keys=jwks, transport=transport)
    assert (await trusted.aget_agent_card()).signature_status == "verified"  # type: ignore[union-attr]
    assert [p for _m, p, *_ in transport.seen] == ["/.well-known/agent-card.json"]  # no jku fetch
    by_kid = A2AClient(features_peer.base_url, card_keys={FEATURES_KID: jwks["keys"][0]})
    assert (await by_kid.aget_agent_card()).signature_status == "verified"  # type: ignore[union-attr]
    # Someone else's key for the same kid: the signature does not verify.
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwt.algorithms import ECAlgorithm

    stranger = ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key(), as_dict=True)
    wrong = A2AClient(features_peer.base_url, card_keys={FEATURES_KID: stranger})
    assert (await wrong.aget_agent_card()).signature_status == "invalid"  # type: ignore[union-attr]


@pytest.mark.parametrize("alg", ["none", "HS256"])
async def test_symmetric_and_none_algorithms_are_not_accepted(alg: str) -> None:
    # MockTransport: no real server signs with "none" or with HMAC over a public key.
    import base64
    import json

    header = base64.urlsafe_b64encode(json.dumps({"alg": alg, "kid": "k"}).encode()).rstrip(b"=").decode()
    card = {
        "name": "forged",
        "url": "http://agent.invalid/",
        "signatures": [{"protected": header, "signature": "AA"}],
    }

    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=card)

    client = A2AClient(
        "http://agent.invalid", transport=httpx.MockTransport(serve), card_keys={"k": "shared-secret"}
    )
    status = (await client.aget_agent_card()).signature_status  # type: ignore[union-attr]
    assert status.startswith("unverifiable (") and f"algorithm '{alg}' not accepted" in status
