"""In-process user repository: a real adapter, held to the same contract tests."""

from __future__ import annotations

import msgspec

from core.errors import Conflict, NotFound
from core.identity import Credentials, NewUserRecord, User, UserChanges, email_taken_message


class MemoryUserRepository:
    """Users in a dict. Safe under asyncio: no method awaits between read and write."""

    def __init__(self) -> None:
        self._users: dict[int, User] = {}
        self._hashes: dict[int, str] = {}
        self._by_email: dict[str, int] = {}
        self._next_id = 1

    async def add(self, record: NewUserRecord) -> User:
        if record.email in self._by_email:
            raise Conflict(email_taken_message(record.email))
        user = User(
            id=self._next_id,
            email=record.email,
            full_name=record.full_name,
            is_active=record.is_active,
            is_superuser=record.is_superuser,
            created_at=record.created_at,
            updated_at=record.created_at,
        )
        self._next_id += 1
        self._users[user.id] = user
        self._hashes[user.id] = record.password_hash
        self._by_email[user.email] = user.id
        return user

    async def get(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        user_id = self._by_email.get(email)
        return None if user_id is None else self._users[user_id]

    async def get_credentials(self, email: str) -> Credentials | None:
        user_id = self._by_email.get(email)
        return None if user_id is None else Credentials(self._users[user_id], self._hashes[user_id])

    async def list(self, *, skip: int, limit: int) -> tuple[list[User], int]:
        ordered = sorted(self._users)
        return [self._users[i] for i in ordered[skip : skip + limit]], len(ordered)

    async def update(self, user_id: int, changes: UserChanges) -> User:
        user = self._users.get(user_id)
        if user is None:
            raise NotFound(f"User {user_id} does not exist.")
        fields = msgspec.structs.asdict(changes)
        values = {k: v for k, v in fields.items() if v is not msgspec.UNSET and k != "password_hash"}
        new_email = values.get("email", user.email)
        if new_email != user.email and new_email in self._by_email:
            raise Conflict(email_taken_message(new_email))
        updated = msgspec.structs.replace(user, **values)
        if new_email != user.email:
            del self._by_email[user.email]
            self._by_email[new_email] = user_id
        if changes.password_hash is not msgspec.UNSET:
            self._hashes[user_id] = changes.password_hash
        self._users[user_id] = updated
        return updated

    async def ping(self) -> None:
        """Always reachable."""
