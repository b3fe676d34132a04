"""Users in PostgreSQL, with raw parameterized SQL."""

from __future__ import annotations

import msgspec
from psycopg import sql
from psycopg.rows import dict_row

from adapters.postgres.database import SCHEMA, PostgresDatabase, translated_errors
from core.errors import NotFound
from core.identity import Credentials, NewUserRecord, User, UserChanges, email_taken_message

_COLUMNS = "id, email, full_name, is_active, is_superuser, created_at, updated_at, token_version"
_TABLE = f"{SCHEMA}.users"
#: UserChanges field -> column. The only names ever spliced into SQL.
_SETTABLE = {
    "email": "email",
    "full_name": "full_name",
    "password_hash": "hashed_password",
    "is_active": "is_active",
    "is_superuser": "is_superuser",
    "token_version": "token_version",
    "updated_at": "updated_at",
}


class PostgresUserRepository:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    async def add(self, record: NewUserRecord) -> User:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors({"users_email_key": email_taken_message(record.email)}):
                await cur.execute(
                    f"""INSERT INTO {_TABLE}
                        (email, full_name, hashed_password, is_active, is_superuser, created_at, updated_at)
                        VALUES (%s, %s, %s, %s, %s, %s, %s)
                        RETURNING {_COLUMNS}""",
                    (
                        record.email,
                        record.full_name,
                        record.password_hash,
                        record.is_active,
                        record.is_superuser,
                        record.created_at,
                        record.created_at,
                    ),
                )
            return User(**await cur.fetchone())

    async def get(self, user_id: int) -> User | None:
        return await self._one(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE id = %s", (user_id,))

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE email = %s", (email,))

    async def get_credentials(self, email: str) -> Credentials | None:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(f"SELECT {_COLUMNS}, hashed_password FROM {_TABLE} WHERE email = %s", (email,))
            row = await cur.fetchone()
        if row is None:
            return None
        password_hash = row.pop("hashed_password")
        return Credentials(User(**row), password_hash)

    async def list(self, *, skip: int, limit: int) -> tuple[list[User], int]:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(f"SELECT count(*) AS n FROM {_TABLE}")
            total = (await cur.fetchone())["n"]
            await cur.execute(f"SELECT {_COLUMNS} FROM {_TABLE} ORDER BY id LIMIT %s OFFSET %s", (limit, skip))
            return [User(**row) for row in await cur.fetchall()], total

    async def update(self, user_id: int, changes: UserChanges) -> User:
        values = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET}
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(_SETTABLE[field]), sql.Placeholder(field)) for field in values
        )
        query = sql.SQL("UPDATE {table} SET {assignments} WHERE id = {id} RETURNING {columns}").format(
            table=sql.Identifier(SCHEMA, "users"),
            assignments=assignments,
            id=sql.Placeholder("_id"),
            columns=sql.SQL(_COLUMNS),
        )
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            conflict = email_taken_message(values.get("email", ""))
            with translated_errors({"users_email_key": conflict}):
                await cur.execute(query, {**values, "_id": user_id})
            row = await cur.fetchone()
        if row is None:
            raise NotFound(f"User {user_id} does not exist.")
        return User(**row)

    async def _one(self, query: str, params: tuple) -> User | None:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(query, params)
            row = await cur.fetchone()
        return None if row is None else User(**row)


__all__ = ["PostgresUserRepository"]
