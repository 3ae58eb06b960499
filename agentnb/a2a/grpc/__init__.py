"""The A2A gRPC binding (v1.0): a dialect that speaks the JSON-RPC dialect's calls over gRPC.

Importing this package never imports ``grpcio``: the wire (``transport``) is loaded on the first
call, so the core works without the optional ``grpc`` extra. Message classes come from
``a2a_v1.proto`` (agentnb's own subset of the A2A v1.0 spec's a2a.proto), compiled once with
grpcio-tools by ``scripts/gen_grpc`` into ``a2a_v1_pb2.py``, which is committed.
"""

from agentnb.a2a.grpc.dialect import GRPC_EXTRA_HINT, V10Grpc, grpc_available

__all__ = ["GRPC_EXTRA_HINT", "V10Grpc", "grpc_available"]
