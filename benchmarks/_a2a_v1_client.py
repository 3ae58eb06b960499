"""Runs inside the a2a-sdk 1.x virtualenv (``.peers/a2a-v1-venv``): its own client on v1.0 frames.

a2a-sdk 1.x cannot be installed next to agno (which pins ``a2a-sdk<1.0``), so bench_a2a_decode
starts this script with that venv's Python. It times raw httpx (``aiter_lines`` + ``json.loads``,
the same reference as in the main process, so the ratio is taken inside one process) and the SDK's
``ClientFactory`` client, interleaved, and prints one JSON object on stdout.

    python benchmarks/_a2a_v1_client.py URL EVENTS REPEATS
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid

import httpx


async def main(url: str, events: int, repeats: int) -> dict[str, object]:
    from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
    from a2a.types import Message, Part, Role, SendMessageRequest

    http = httpx.AsyncClient(timeout=60)
    card = await A2ACardResolver(http, url).get_agent_card()
    client = ClientFactory(ClientConfig(streaming=True, httpx_client=http)).create(card)
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendStreamingMessage",
        "params": {"message": {"messageId": "m1", "role": "ROLE_USER", "parts": [{"text": "hi"}]}},
    }

    async def raw() -> int:
        count = 0
        headers = {"A2A-Version": "1.0", "Accept": "text/event-stream"}
        async with http.stream("POST", url + "/", json=body, headers=headers) as response:
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    json.loads(line[5:])
                    count += 1
        return count

    async def sdk() -> int:
        count = 0
        request = SendMessageRequest(
            message=Message(message_id=str(uuid.uuid4()), role=Role.ROLE_USER, parts=[Part(text="hi")])
        )
        async for _event in client.send_message(request):
            count += 1
        return count

    runs = {"raw httpx": raw, "a2a-sdk 1.x": sdk}
    counts = {name: await run() for name, run in runs.items()}  # warm-up
    samples: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeats):
        k = r % len(names)
        for name in [*names[k:], *names[:k]]:
            started = time.perf_counter()
            await runs[name]()
            samples[name].append(events / (time.perf_counter() - started))
    await http.aclose()
    import importlib.metadata

    return {"samples": samples, "counts": counts, "version": importlib.metadata.version("a2a-sdk")}


if __name__ == "__main__":
    target, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(asyncio.run(main(target.rstrip("/"), n, reps))))
