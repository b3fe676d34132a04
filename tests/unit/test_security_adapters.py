"""Password hashing and access tokens."""

from __future__ import annotations

import asyncio
import base64
import json
import time

import jwt
import pytest

from adapters.security import Argon2Hasher, Argon2Parameters, JwtTokenIssuer
from core.errors import AuthenticationFailed
from core.identity import TokenClaims

SECRET = "unit-test-secret-key-0123456789abcdef"


def claims(**overrides: object) -> TokenClaims:
    now = int(time.time())
    return TokenClaims(**{"sub": "7", "ver": 0, "iat": now, "exp": now + 600, **overrides})  # type: ignore[arg-type]


def test_token_round_trips() -> None:
    issuer = JwtTokenIssuer(SECRET)
    original = claims()
    assert issuer.decode(issuer.issue(original)) == original


def test_token_signed_with_another_key_is_rejected() -> None:
    foreign = JwtTokenIssuer("another-secret-key-that-is-long-enough-123").issue(claims())
    with pytest.raises(AuthenticationFailed):
        JwtTokenIssuer(SECRET).decode(foreign)


def test_decode_leaves_expiry_to_the_core_clock() -> None:
    issuer = JwtTokenIssuer(SECRET)
    # The core compares exp with its Clock port (see test_token_expires_after_its_lifetime).
    assert issuer.decode(issuer.issue(claims(iat=1_000, exp=2_000))).exp == 2_000


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_alg_none_token_is_rejected() -> None:
    unsigned = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(
        {"sub": "7", "ver": 0, "iat": int(time.time()), "exp": int(time.time()) + 600}
    ) + "."
    with pytest.raises(AuthenticationFailed):
        JwtTokenIssuer(SECRET).decode(unsigned)


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_token_with_another_hmac_algorithm_is_rejected() -> None:
    payload = {"sub": "7", "ver": 0, "iat": int(time.time()), "exp": int(time.time()) + 600}
    other_alg = jwt.encode(payload, SECRET, algorithm="HS512")
    with pytest.raises(AuthenticationFailed):
        JwtTokenIssuer(SECRET).decode(other_alg)


@pytest.mark.parametrize("missing", ["sub", "exp", "iat", "ver"])
def test_token_missing_a_claim_is_rejected(missing: str) -> None:
    payload = {"sub": "7", "ver": 0, "iat": int(time.time()), "exp": int(time.time()) + 600}
    del payload[missing]
    with pytest.raises(AuthenticationFailed):
        JwtTokenIssuer(SECRET).decode(jwt.encode(payload, SECRET, algorithm="HS256"))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x", "ü" * 10])
def test_malformed_token_is_rejected(garbage: str) -> None:
    with pytest.raises(AuthenticationFailed):
        JwtTokenIssuer(SECRET).decode(garbage)


def test_short_secret_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        JwtTokenIssuer("short")


def test_unsupported_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        JwtTokenIssuer(SECRET, algorithm="none")


async def test_hash_verifies_only_the_right_password_and_is_argon2id() -> None:
    hasher = Argon2Hasher()
    hashed = await hasher.hash("correct horse")
    assert hashed.startswith("$argon2id$") and "m=19456,t=2,p=1" in hashed
    assert await hasher.verify(hashed, "correct horse")
    assert not await hasher.verify(hashed, "wrong horse")
    assert not await hasher.verify("not a hash", "correct horse")


def test_parameters_below_owasp_minimum_are_refused() -> None:
    with pytest.raises(ValueError, match="OWASP"):
        Argon2Parameters(time_cost=1, memory_cost=19_456)
    with pytest.raises(ValueError, match="OWASP"):
        Argon2Parameters(time_cost=10, memory_cost=4_096)


async def test_hashing_runs_off_the_event_loop() -> None:
    """While four hashes run, the loop keeps turning: it is never the one hashing."""
    hasher = Argon2Hasher()
    ticks = 0
    done = False

    async def ticker() -> None:
        nonlocal ticks
        while not done:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.gather(*(hasher.hash(f"password-{i}") for i in range(4)))
    done = True
    await task
    # A hash on the loop thread would let the ticker run only between hashes (a handful of times).
    assert ticks > 50
