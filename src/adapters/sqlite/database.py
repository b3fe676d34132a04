"""Embedded SQLite: one connection, owned by one worker thread.

All database work runs on that thread, so the event loop never waits on disk
and sqlite3's connection is never shared between threads. WAL mode lets
other processes (the CLI) read while the server writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from adapters.migrations import MigrationState, load_migrations
from core.errors import Conflict, DomainError, InvalidInput, Unavailable

T = TypeVar("T")
#: OperationalError texts that mean "cannot serve now", as opposed to a bad statement.
_UNAVAILABLE_SIGNS = ("locked", "busy", "disk I/O", "unable to open", "readonly", "disk is full")
UNAVAILABLE = "The database is unavailable right now; try again shortly."


def connect(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction; ``BEGIN IMMEDIATE`` takes the write lock up front."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def translated_errors(conflicts: dict[str, str] | None = None) -> Iterator[None]:
    """sqlite3 errors as core errors. ``conflicts`` maps ``table.column`` to a message."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        text = str(exc)
        if text.startswith("UNIQUE constraint failed:"):
            columns = text.split(":", 1)[1].strip()
            raise Conflict((conflicts or {}).get(columns, "This conflicts with an existing record.")) from exc
        raise InvalidInput("The value was refused by the database (constraint check).") from exc
    except OverflowError as exc:
        raise InvalidInput("A number is out of range.") from exc
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if text.startswith("no such table"):
            raise Unavailable("The database schema is missing; run `opengov-food db migrate`.") from exc
        if any(sign in text for sign in _UNAVAILABLE_SIGNS):
            raise Unavailable(UNAVAILABLE) from exc
        raise  # a fault in our SQL: let it surface and be logged as one


def explain_miss(conn: sqlite3.Connection, table: str, row_id: int, *, missing: DomainError, stale: DomainError) -> None:
    """A write conditioned on a version touched nothing: raise ``missing`` when the
    row is gone, ``stale`` when it exists at another version."""
    found = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone()
    raise missing if found is None else stale


def to_text(moment: datetime) -> str:
    """Fixed-width UTC text, so comparing and sorting the text orders the moments."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


class SqliteDatabase:
    """The connection and its worker thread."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._conn: sqlite3.Connection | None = None

    async def open(self) -> None:
        await self.run(lambda conn: None)

    async def close(self) -> None:
        def _close() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(self._executor, _close)

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(conn)`` on the database thread and return its result."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, work)

    def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with translated_errors():
            if self._conn is None:
                self._conn = connect(self.path)
            return work(self._conn)

    async def ping(self) -> None:
        await self.run(lambda conn: conn.execute("SELECT 1").fetchone())


def migrate(path: str, directory: Path) -> list[str]:
    """Apply pending migrations; an exclusive transaction serializes processes."""
    migrations = load_migrations(directory)
    conn = connect(path)
    applied_now: list[str] = []
    try:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"""
        )
        for migration in migrations:
            with transaction(conn):
                done = conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,))
                if done.fetchone():
                    continue
                # executescript() would commit our transaction first; run statement by statement.
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, migration.checksum, to_text(datetime.now(UTC))),
                )
            applied_now.append(f"{migration.version:04d}_{migration.name}")
    finally:
        conn.close()
    return applied_now


def migration_status(path: str, directory: Path) -> list[MigrationState]:
    migrations = load_migrations(directory)
    applied: dict[int, str] = {}
    if path == ":memory:" or Path(path).exists():
        conn = connect(path)
        try:
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone()
            if exists:
                applied = {r[0]: r[1] for r in conn.execute("SELECT version, applied_at FROM schema_migrations")}
        finally:
            conn.close()
    return [MigrationState(m.version, m.name, applied.get(m.version)) for m in migrations]


def _statements(script: str) -> list[str]:
    """Split a migration into complete statements (sqlite3.complete_statement knows
    about strings, comments and trigger bodies)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buffer.splitlines()):
        raise ValueError("migration ends with an incomplete statement")
    return statements
