"""The A2A feature matrix over gRPC: the same operations and assertions as the JSON-RPC and REST
rows, run against the features peer's gRPC server (a2a-sdk 1.3.0's GrpcHandler).

Each test calls the shared test body with a gRPC combo; tests/conftest.py files the outcome under
(a2a-sdk 1.3.0 +features, A2A v1.0 gRPC) and the test's name, so gRPC is one more row of the
matrix printed at the end of the run. The client negotiates gRPC from the card's
``supportedInterfaces`` when told ``protocol="grpc"`` (the card lists it last).
"""

from __future__ import annotations

import pytest

from tests.a2a import test_card_cache as card_cache_tests
from tests.a2a import test_extended_card as extended_card_tests
from tests.a2a import test_extensions as extensions_tests
from tests.a2a import test_matrix as matrix_tests
from tests.a2a import test_push as push_tests
from tests.a2a import test_signed_cards as signed_card_tests
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer

GRPC = Combo("features", "grpc", "1.0", "A2A v1.0 gRPC")
combos = pytest.mark.parametrize("combo", [GRPC], ids=[GRPC.name])


@combos
async def test_card(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_card(combo, features_peer.base_url)


@combos
async def test_send(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_send(combo, features_peer.base_url)


@combos
async def test_stream(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_stream(combo, features_peer.base_url)


@combos
async def test_multi_turn(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_multi_turn(combo, features_peer.base_url)


@combos
async def test_input_required_reply(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_input_required_reply(combo, features_peer.base_url)


@combos
async def test_get_task(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_get_task(combo, features_peer.base_url)


@combos
async def test_cancel(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_cancel(combo, features_peer.base_url)


@combos
async def test_error(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_error(combo, features_peer.base_url)


@combos
async def test_file_and_data_artifacts(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_file_and_data_artifacts(combo, features_peer.base_url)


@combos
async def test_resubscribe(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_resubscribe(combo, features_peer.base_url)


@combos
async def test_list_tasks(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_list_tasks(combo, features_peer.base_url)


@combos
async def test_push(combo: Combo, features_peer: A2APeer) -> None:
    await push_tests.test_push(combo, features_peer)


@combos
async def test_extended_card(combo: Combo, features_peer: A2APeer) -> None:
    await extended_card_tests.test_extended_card(combo, features_peer)


@combos
async def test_extended_card_without_credentials(combo: Combo, features_peer: A2APeer) -> None:
    await extended_card_tests.test_extended_card_without_credentials(combo, features_peer)


@combos
async def test_extensions(combo: Combo, features_peer: A2APeer) -> None:
    await extensions_tests.test_extensions(combo, features_peer)


@combos
async def test_signature_good(combo: Combo, features_peer: A2APeer) -> None:
    await signed_card_tests.test_signature_good(combo, features_peer)


@combos
async def test_signature_tampered(combo: Combo, features_peer: A2APeer) -> None:
    await signed_card_tests.test_signature_tampered(combo, features_peer)


@combos
async def test_card_cache(combo: Combo, features_peer: A2APeer) -> None:
    await card_cache_tests.test_card_cache(combo, features_peer)


@combos
async def test_required_extension(combo: Combo, features_peer: A2APeer) -> None:
    await extensions_tests.test_required_extension(combo, features_peer)
