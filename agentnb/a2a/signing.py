"""Signed agent cards: check a card's JWS signatures (A2A v1.0 ``signatures``).

The signed bytes are the card without ``signatures``, with empty strings/lists/objects removed, in
RFC 8785 (JCS) canonical form; each signature is a JWS with a detached payload: ``protected`` (the
base64url header: ``alg``, ``kid``, ``jku``) and ``signature``. That is what a2a-sdk 1.x signs.

Libraries (the ``signing`` extra; never hand-rolled): PyJWT[crypto] does the JWS and JWK work.
It is the JOSE library a2a-sdk itself signs with, so both ends agree on the same code paths, it is
actively maintained, and agno already depends on it. ``rfc8785`` (Trail of Bits) canonicalises.

Trust: keys the caller passes (``card_keys=``) are used first. Otherwise a ``jku`` is followed only
when it is on the card's own origin (scheme, host, port), fetched over the client's own
connection; a ``jku`` elsewhere would let anyone who can edit the card pick the key that "proves"
it, so that card is ``unverifiable``. Only asymmetric algorithms are accepted (no ``none``, no
HMAC with a public key as secret).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from agentnb.errors import A2AError

__all__ = [
    "ALGORITHMS",
    "CardKeys",
    "UnverifiedCardError",
    "canonical_card",
    "signature_status",
]

#: Asymmetric JWS algorithms accepted on a card.
ALGORITHMS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA")
_MAX_DEPTH = 64

#: Caller-given keys: a JWKS (``{"keys": [...]}``), a list of JWKs, or ``{kid: JWK dict or PEM}``.
CardKeys = Mapping[str, Any] | Sequence[Mapping[str, Any]]
FetchJson = Callable[[str], Awaitable[Any]]


class UnverifiedCardError(A2AError):
    """``require_signed_card=True`` and the card's signature is not ``verified``.

    ``card`` is the refused card, to look at (its ``signature_status`` says why).
    """

    card: Any = None


def _clean(value: Any, depth: int = 0) -> Any:
    """Drop empty strings, lists and objects, recursively (a2a-sdk signs the card that way)."""
    if depth > _MAX_DEPTH:
        raise ValueError("the card nests too deeply to canonicalise")
    if isinstance(value, dict):
        out = {k: c for k, v in value.items() if (c := _clean(v, depth + 1)) is not None}
        return out or None
    if isinstance(value, list):
        items = [c for v in value if (c := _clean(v, depth + 1)) is not None]
        return items or None
    if isinstance(value, str) and not value:
        return None
    return value


def canonical_card(payload: Mapping[str, Any]) -> bytes:
    """The bytes a card's signatures cover."""
    import rfc8785

    unsigned = {k: v for k, v in payload.items() if k != "signatures"}
    return bytes(rfc8785.dumps(_clean(unsigned) or {}))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _header(protected: Any) -> dict[str, Any] | None:
    if not isinstance(protected, str):
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, dict) else None


def _jwks_entries(keys: Any) -> list[Mapping[str, Any]]:
    if isinstance(keys, Mapping) and isinstance(keys.get("keys"), list):
        keys = keys["keys"]
    if isinstance(keys, Sequence) and not isinstance(keys, (str, bytes)):
        return [k for k in keys if isinstance(k, Mapping)]
    return []


def _given_key(keys: CardKeys | None, kid: str | None) -> Any:
    """The caller's key for ``kid`` (a JWK dict, PEM text or a key object), or None."""
    if keys is None:
        return None
    entries = _jwks_entries(keys)
    if entries:
        matches = [k for k in entries if kid is None or k.get("kid") in (kid, None)]
        return matches[0] if matches else None
    if isinstance(keys, Mapping) and kid is not None:
        return keys.get(kid)
    return None


def _same_origin(a: str, b: str) -> bool:
    x, y = urlsplit(a), urlsplit(b)
    return (x.scheme, x.hostname, x.port) == (y.scheme, y.hostname, y.port) and x.scheme in ("http", "https")


def _verify(token: str, key: Any, alg: str) -> bool:
    import jwt

    if isinstance(key, Mapping):
        key = jwt.PyJWK(dict(key), algorithm=alg).key
    try:
        jwt.api_jws.decode_complete(token, key=key, algorithms=[alg])
    except jwt.PyJWTError:
        return False
    return True


async def signature_status(
    payload: Mapping[str, Any],
    *,
    card_url: str,
    keys: CardKeys | None = None,
    fetch_json: FetchJson | None = None,
) -> str:
    """ "verified", "invalid", "unsigned", or "unverifiable (why)" for a card as received."""
    signatures = payload.get("signatures")
    if not signatures:
        return "unsigned"
    if not isinstance(signatures, list):
        return "invalid"
    try:
        import jwt  # noqa: F401
        import rfc8785  # noqa: F401
    except ImportError:
        return "unverifiable (install agentnb[signing]: PyJWT[crypto] and rfc8785)"
    try:
        body = _b64url(canonical_card(payload))
    except (ValueError, TypeError) as exc:  # rfc8785 refuses e.g. NaN or huge integers
        return f"invalid (cannot canonicalise: {str(exc)[:100]})"
    why: list[str] = []
    failed = False
    jwks_cache: dict[str, Any] = {}
    for entry in signatures[:8]:  # a card with hundreds of signatures is not worth the CPU
        header = _header(entry.get("protected") if isinstance(entry, dict) else None)
        signature = entry.get("signature") if isinstance(entry, dict) else None
        if header is None or not isinstance(signature, str):
            failed = True
            continue
        alg, kid, jku = header.get("alg"), header.get("kid"), header.get("jku")
        if alg not in ALGORITHMS:
            why.append(f"algorithm {str(alg)[:20]!r} not accepted")
            continue
        kid = kid if isinstance(kid, str) else None
        key = _given_key(keys, kid)
        if key is None and isinstance(jku, str) and fetch_json is not None:
            if not _same_origin(jku, card_url):
                why.append(f"jku {jku[:100]!r} is not on the card's origin; pass card_keys=")
                continue
            if jku not in jwks_cache:
                try:
                    jwks_cache[jku] = await fetch_json(jku)
                except Exception as exc:  # a dead key URL makes the card unverifiable, not an error
                    jwks_cache[jku] = None
                    why.append(f"could not fetch jku: {type(exc).__name__}")
            key = _given_key(jwks_cache[jku], kid) if jwks_cache[jku] is not None else None
        if key is None:
            why.append(f"no key for kid {str(kid)[:60]!r}")
            continue
        try:
            if _verify(f"{entry['protected']}.{body}.{signature}", key, alg):
                return "verified"
        except Exception as exc:  # an unusable key (wrong type for alg, bad JWK) proves nothing
            why.append(f"unusable key: {type(exc).__name__}")
            continue
        failed = True
    if failed:
        return "invalid"
    return f"unverifiable ({'; '.join(dict.fromkeys(why)) or 'no usable signature'})"
