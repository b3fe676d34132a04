"""PostgreSQL plumbing: the connection pool, migrations and error translation."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors

from adapters.migrations import MigrationState, load_migrations
from core.errors import Conflict, DomainError, InvalidInput, Unavailable

SCHEMA = "opengov_food"
#: pg_advisory_lock key held while migrating ("opengov" in ASCII).
MIGRATION_LOCK_KEY = 0x6F70656E676F76
UNAVAILABLE = "The database is unavailable right now; try again shortly."
#: ``core.identity.Caller.confirmed_by`` in SQL: the caller's row of the users
#: table (aliased ``u``) is confirmed. Parameters: user id, token version.
CALLER_CONFIRMED = f"SELECT u.is_superuser FROM {SCHEMA}.users u WHERE u.id = %s AND u.is_active AND u.token_version = %s"


def caller_params(caller: Any) -> tuple[int, int]:
    return (caller.user_id, caller.token_version)


@contextlib.contextmanager
def translated_errors(conflicts: dict[str, str] | None = None) -> Iterator[None]:
    """Turn driver errors into core errors at the adapter boundary.

    ``conflicts`` maps a unique constraint's name to the message a clash on it
    deserves. Anything else that is the caller's fault becomes ``InvalidInput``
    without SQL text; connection trouble becomes ``Unavailable``.
    """
    try:
        yield
    except pg_errors.UniqueViolation as exc:
        name = exc.diag.constraint_name or ""
        raise Conflict((conflicts or {}).get(name, "This conflicts with an existing record.")) from exc
    except (pg_errors.CheckViolation, pg_errors.NotNullViolation, pg_errors.DataError) as exc:
        raise InvalidInput(f"The value was refused by the database ({type(exc).__name__}).") from exc
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
        raise Unavailable(UNAVAILABLE) from exc


async def explain_miss(cur: Any, table: str, row_id: int, *, missing: DomainError, stale: DomainError) -> None:
    """A write conditioned on a version touched nothing: raise ``missing`` when the
    row is gone, ``stale`` when it exists at another version."""
    await cur.execute(f"SELECT 1 FROM {table} WHERE id = %s", (row_id,))
    raise missing if await cur.fetchone() is None else stale


class PostgresDatabase:
    """An async connection pool, opened and closed by the application lifespan."""

    def __init__(self, url: str, *, min_size: int = 2, max_size: int = 10, timeout: float = 5.0) -> None:
        self.url = url
        self.pool = psycopg_pool.AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            open=False,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout))},
            name="opengov-food",
            # While the server is away, retry connecting forever (with backoff)
            # instead of giving up: the service recovers by itself.
            reconnect_timeout=0,
        )

    async def open(self) -> None:
        # Do not wait for the pool to fill: the app must start (and report
        # "not ready") even when the database is down.
        await self.pool.open(wait=False)

    async def close(self) -> None:
        await self.pool.close()

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        with translated_errors():
            async with self.pool.connection() as conn:
                yield conn

    def stats(self) -> dict[str, int]:
        return self.pool.get_stats()

    async def ping(self) -> None:
        """Raise ``Unavailable`` unless the database answers a trivial query."""
        async with self.connection() as conn:
            await conn.execute("SELECT 1")


async def migrate(url: str, directory: Path) -> list[str]:
    """Apply every pending migration in ``directory``; return the names applied.

    Holds a session advisory lock, so two processes migrating at once take
    turns and the second finds nothing left to do.
    """
    migrations = load_migrations(directory)
    applied_now: list[str] = []
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            await conn.execute(
                f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())"""
            )
            cur = await conn.execute(f"SELECT version FROM {SCHEMA}.schema_migrations")
            done = {row[0] for row in await cur.fetchall()}
            for migration in migrations:
                if migration.version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(migration.sql)
                    await conn.execute(
                        f"INSERT INTO {SCHEMA}.schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
                applied_now.append(f"{migration.version:04d}_{migration.name}")
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied_now


async def migration_status(url: str, directory: Path) -> list[MigrationState]:
    """Each known migration and when it was applied (``None`` when pending)."""
    migrations = load_migrations(directory)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_migrations",))
        row = await cur.fetchone()
        applied: dict[int, str] = {}
        if row and row[0] is not None:
            cur = await conn.execute(f"SELECT version, applied_at FROM {SCHEMA}.schema_migrations")
            applied = {v: at.isoformat() for v, at in await cur.fetchall()}
    return [MigrationState(m.version, m.name, applied.get(m.version)) for m in migrations]
