"""What the identity context needs from the outside world."""

from __future__ import annotations

from typing import Protocol

from core.identity.model import Credentials, NewUserRecord, TokenClaims, User, UserChanges


class UserRepository(Protocol):
    """Stores users. Emails arrive already normalized.

    ``add`` and ``update`` raise ``Conflict`` when the email is taken and
    ``update`` raises ``NotFound`` for an unknown id.
    """

    async def add(self, record: NewUserRecord) -> User: ...

    async def get(self, user_id: int) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def get_credentials(self, email: str) -> Credentials | None: ...

    async def list(self, *, skip: int, limit: int) -> tuple[list[User], int]:
        """Users ordered by id, and how many there are in all."""
        ...

    async def update(self, user_id: int, changes: UserChanges) -> User: ...


class PasswordHasher(Protocol):
    """One-way password hashing. Implementations must not block the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with parameters other than the current ones."""
        ...


class TokenIssuer(Protocol):
    """Signs and checks access tokens.

    ``decode`` raises ``AuthenticationFailed`` for anything it cannot trust:
    bad signature, expired, malformed, missing claims, wrong algorithm.
    """

    def issue(self, claims: TokenClaims) -> str: ...

    def decode(self, token: str) -> TokenClaims: ...
