"""Tenants (issue 14, item 6): a v1.0 interface's ``tenant`` goes with every call of every binding.

The features peer's card gives both interfaces ``tenant: "acme"``; a2a-sdk takes it from the
JSON-RPC ``params.tenant`` and from the REST ``/{tenant}/`` prefix, and ``whoami`` names the tenant
the server saw.
"""

from __future__ import annotations

import json

import pytest

from agentnb.a2a import A2AClient
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS, RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import FEATURES_TENANT, FEATURES_TOKEN, A2APeer

pytestmark = pytest.mark.peer


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_tenant(combo: Combo, features_peer: A2APeer) -> None:
    transport = RecordingTransport()
    client = A2AClient(
        features_peer.base_url,
        protocol=combo.protocol,  # type: ignore[arg-type]
        a2a_version=combo.version,
        auth_token=FEATURES_TOKEN,
        transport=transport,
    )
    assert (await client.send_message("whoami")).content.startswith(f"tenant={FEATURES_TENANT} ")
    streamed = client.stream_message("whoami")
    _ = [e async for e in streamed]
    assert streamed.result.content.startswith(f"tenant={FEATURES_TENANT} ")
    sent = await client.send_message("hello tenant")
    assert sent.is_completed
    assert (await client.aget_task(sent.task_id)).task_id == sent.task_id
    page = await client.alist_tasks(context_id=sent.context_id)
    assert [t.task_id for t in page.tasks] == [sent.task_id]
    assert (await client.aget_extended_agent_card()).extended
    stream = client.stream_message("slow please")
    async with stream:
        async for event in stream:
            if event.is_content:
                break
    resubscribed = client.resubscribe(stream.task_id or "")
    async with resubscribed:
        async for event in resubscribed:
            if event.is_content:
                break
    assert (await client.acancel_task(stream.task_id or "")).is_canceled
    # Every call but the card's named the tenant.
    calls = [
        (s, b)
        for s, b in zip(transport.seen, transport.bodies, strict=True)
        if "agent-card" not in s[1] and s[1] != "/jwks.json"
    ]
    assert len(calls) >= 8
    for (method, path, _status, _headers), body in calls:
        if combo.protocol == "rest":
            assert path.startswith(f"/{FEATURES_TENANT}/"), (method, path)
        else:
            assert json.loads(body)["params"]["tenant"] == FEATURES_TENANT, (method, body[:200])
