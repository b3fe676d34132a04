"""Users in SQLite, with parameterized SQL run on the database thread."""

from __future__ import annotations

import sqlite3

import msgspec

from adapters.sqlite.database import SqliteDatabase, from_text, to_text, transaction, translated_errors
from core.errors import AuthenticationFailed, NotFound
from core.identity import BAD_TOKEN, Caller, Credentials, NewUserRecord, Principal, User, UserChanges, email_taken_message

_COLUMNS = "id, email, full_name, is_active, is_superuser, created_at, updated_at, token_version"
_SETTABLE = {
    "email": "email",
    "full_name": "full_name",
    "password_hash": "hashed_password",
    "is_active": "is_active",
    "is_superuser": "is_superuser",
    "token_version": "token_version",
    "updated_at": "updated_at",
}


def _user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        is_active=bool(row["is_active"]),
        is_superuser=bool(row["is_superuser"]),
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        token_version=row["token_version"],
    )


def confirm(conn: sqlite3.Connection, caller: Caller) -> Principal:
    """The caller's principal by the core's rule (``Caller.confirmed_by``), or
    ``AuthenticationFailed``; for use inside another repository's work."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (caller.user_id,)).fetchone()
    principal = caller.confirmed_by(None if row is None else _user(row))
    if principal is None:
        raise AuthenticationFailed(BAD_TOKEN)
    return principal


class SqliteUserRepository:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    async def add(self, record: NewUserRecord) -> User:
        def work(conn: sqlite3.Connection) -> User:
            with translated_errors({"users.email": email_taken_message(record.email)}):
                row = conn.execute(
                    f"""INSERT INTO users
                        (email, full_name, hashed_password, is_active, is_superuser, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
                    (
                        record.email,
                        record.full_name,
                        record.password_hash,
                        record.is_active,
                        record.is_superuser,
                        to_text(record.created_at),
                        to_text(record.created_at),
                    ),
                ).fetchone()
            return _user(row)

        return await self._db.run(work)

    async def get(self, user_id: int) -> User | None:
        return await self._one(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(f"SELECT {_COLUMNS} FROM users WHERE email = ?", (email,))

    async def get_credentials(self, email: str) -> Credentials | None:
        def work(conn: sqlite3.Connection) -> Credentials | None:
            row = conn.execute(f"SELECT {_COLUMNS}, hashed_password FROM users WHERE email = ?", (email,)).fetchone()
            return None if row is None else Credentials(_user(row), row["hashed_password"])

        return await self._db.run(work)

    async def list(self, *, skip: int, limit: int) -> tuple[list[User], int]:
        def work(conn: sqlite3.Connection) -> tuple[list[User], int]:
            with transaction(conn, immediate=False):
                total = conn.execute("SELECT count(*) FROM users").fetchone()[0]
                rows = conn.execute(f"SELECT {_COLUMNS} FROM users ORDER BY id LIMIT ? OFFSET ?", (limit, skip))
                return [_user(row) for row in rows], total

        return await self._db.run(work)

    async def update(self, user_id: int, changes: UserChanges) -> User:
        values = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET}
        if "updated_at" in values:
            values["updated_at"] = to_text(values["updated_at"])
        assignments = ", ".join(f"{_SETTABLE[field]} = :{field}" for field in values)

        def work(conn: sqlite3.Connection) -> User:
            with translated_errors({"users.email": email_taken_message(values.get("email", ""))}):
                row = conn.execute(
                    f"UPDATE users SET {assignments} WHERE id = :_id RETURNING {_COLUMNS}", {**values, "_id": user_id}
                ).fetchone()
            if row is None:
                raise NotFound(f"User {user_id} does not exist.")
            return _user(row)

        return await self._db.run(work)

    async def _one(self, query: str, params: tuple) -> User | None:
        def work(conn: sqlite3.Connection) -> User | None:
            row = conn.execute(query, params).fetchone()
            return None if row is None else _user(row)

        return await self._db.run(work)
