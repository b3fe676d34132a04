"""Properties of the identity rules, stated in the test names."""

from __future__ import annotations

import time

import pytest

from hypothesis import given
from hypothesis import strategies as st

from adapters.security import JwtTokenIssuer
from core.errors import AuthenticationFailed
from core.identity import TokenClaims, normalize_email, normalize_full_name

SECRET = "property-test-secret-key-0123456789abc"
ISSUER = JwtTokenIssuer(SECRET)


@given(st.text())
def test_email_normalization_is_idempotent(raw: str) -> None:
    once = normalize_email(raw)
    assert normalize_email(once) == once


@given(st.emails())
def test_emails_differing_only_in_letter_case_normalize_alike(email: str) -> None:
    assert normalize_email(email.upper()) == normalize_email(email.lower()) or not email.isascii()


@given(st.text())
def test_full_name_normalization_is_idempotent_and_trimmed(raw: str) -> None:
    once = normalize_full_name(raw)
    assert normalize_full_name(once) == once and once == once.strip()


claims_strategy = st.builds(
    TokenClaims,
    sub=st.integers(min_value=1, max_value=2**63 - 1).map(str),
    ver=st.integers(min_value=0, max_value=2**31),
    iat=st.just(int(time.time())),
    exp=st.just(int(time.time()) + 3600),
)


@given(claims_strategy)
def test_tokens_round_trip(claims: TokenClaims) -> None:
    assert ISSUER.decode(ISSUER.issue(claims)) == claims


@given(claims_strategy, st.data())
def test_tokens_reject_every_single_byte_tampering(claims: TokenClaims, data: st.DataObject) -> None:
    token = ISSUER.issue(claims)
    position = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    replacement = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.").filter(
        lambda c: c != token[position]
    ))
    tampered = token[:position] + replacement + token[position + 1 :]
    with pytest.raises(AuthenticationFailed):
        ISSUER.decode(tampered)
