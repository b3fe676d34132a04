"""Access tokens as signed JWTs (PyJWT)."""

from __future__ import annotations

import base64
import binascii
import functools

import jwt
import msgspec

from core.errors import AuthenticationFailed
from core.identity import BAD_TOKEN, TokenClaims

#: Symmetric algorithms we accept; ``none`` and anything asymmetric are never taken.
SUPPORTED_ALGORITHMS = ("HS256", "HS384", "HS512")
MIN_KEY_BYTES = 32


class JwtTokenIssuer:
    """The ``TokenIssuer`` port: HMAC-signed JWTs with ``sub``, ``ver``, ``iat`` and ``exp``.

    ``decode`` checks the signature and that the claims are present and well
    typed; whether they are current is the core's rule (``user_for_token``).
    Decoding names exactly one algorithm, so a token claiming ``alg: none`` or
    another algorithm is rejected before its signature is even considered.

    Verified tokens are remembered (``cache_size`` of them, least recently used
    first out): a given string under a given key always verifies the same way,
    so a client sending the same token on every request pays for the signature
    check once. Refused tokens are never remembered, and the claims' times are
    still checked by the core on every use.
    """

    def __init__(self, secret_key: str, *, algorithm: str = "HS256", cache_size: int = 4096) -> None:
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(f"unsupported JWT algorithm {algorithm!r}; use one of {', '.join(SUPPORTED_ALGORITHMS)}")
        if len(secret_key.encode()) < MIN_KEY_BYTES:
            raise ValueError(f"the JWT secret key must be at least {MIN_KEY_BYTES} bytes")
        self._key = secret_key
        self._algorithm = algorithm
        self._verified = functools.lru_cache(maxsize=cache_size)(self._verify)

    def issue(self, claims: TokenClaims) -> str:
        return jwt.encode(msgspec.to_builtins(claims), self._key, algorithm=self._algorithm)

    def decode(self, token: str) -> TokenClaims:
        return self._verified(token)

    def _verify(self, token: str) -> TokenClaims:
        if not _is_canonical(token):
            raise AuthenticationFailed(BAD_TOKEN)
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[self._algorithm],
                # Presence of exp/iat/sub is checked here; their times are checked by
                # the core against its Clock port, so tests can move time.
                options={"require": ["exp", "iat", "sub"], "verify_signature": True, "verify_exp": False, "verify_iat": False},
            )
            return msgspec.convert(payload, TokenClaims)
        except (jwt.InvalidTokenError, msgspec.ValidationError) as exc:
            raise AuthenticationFailed(BAD_TOKEN) from exc


def _is_canonical(token: str) -> bool:
    """Three base64url segments, each in its one canonical spelling.

    Base64's last character can carry unused bits, so two spellings may decode
    to the same bytes; refusing the non-canonical one means any change to a
    token's text is a rejected token.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return False
    for part in parts:
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            return False
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != part:
            return False
    return True
