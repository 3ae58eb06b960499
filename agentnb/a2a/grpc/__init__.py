"""The A2A gRPC binding (v1.0, and v0.3's core calls): dialects that send the HTTP dialects' calls over gRPC.

Importing this package never imports ``grpcio``: the wire (``transport``) is loaded on the first
call, so the core works without the optional ``grpc`` extra. Message classes come from
``a2a_v1.proto`` / ``a2a_v03.proto`` (agentnb's own subsets of the A2A v1.0 and v0.3 specs'
a2a.proto), compiled once with grpcio-tools by ``scripts/gen_grpc`` into the committed
``*_pb2.py`` modules.
"""

from agentnb.a2a.grpc.dialect import GRPC_EXTRA_HINT, GrpcDialect, V03Grpc, V10Grpc, grpc_available

__all__ = ["GRPC_EXTRA_HINT", "GrpcDialect", "V03Grpc", "V10Grpc", "grpc_available"]
