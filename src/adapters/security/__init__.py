"""Security adapters: password hashing (argon2id), access tokens (JWT), clocks."""

from adapters.security.clock import FixedClock, SystemClock
from adapters.security.passwords import Argon2Hasher, Argon2Parameters
from adapters.security.tokens import JwtTokenIssuer

__all__ = ["Argon2Hasher", "Argon2Parameters", "FixedClock", "JwtTokenIssuer", "SystemClock"]
