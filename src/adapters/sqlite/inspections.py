"""Inspection items in SQLite, with parameterized SQL run on the database thread."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from adapters.sqlite.database import SqliteDatabase, explain_miss, from_text, to_text, transaction, translated_errors
from adapters.sqlite.identity import confirm
from core.errors import NotFound
from core.identity import Caller, Principal
from core.inspections import InspectionType, Item, ItemFilter, ItemOrder, ItemRecord, ItemStatus, stale_version

_COLUMNS = (
    "id, title, description, status, owner_id, establishment_name, establishment_address, inspection_type, "
    "due_date, score, created_at, updated_at, version"
)
_VALUES = (
    "title", "description", "status", "owner_id", "establishment_name", "establishment_address", "inspection_type",
    "due_date", "score", "search_text", "created_at", "updated_at",
)  # fmt: skip


def _params(record: ItemRecord) -> tuple[Any, ...]:
    return (
        record.title,
        record.description,
        record.status.value,
        record.owner_id,
        record.establishment_name,
        record.establishment_address,
        record.inspection_type.value if record.inspection_type else None,
        record.due_date.isoformat() if record.due_date else None,
        record.score,
        record.search_text,
        to_text(record.created_at),
        to_text(record.updated_at),
    )


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        status=ItemStatus(row["status"]),
        owner_id=row["owner_id"],
        establishment_name=row["establishment_name"],
        establishment_address=row["establishment_address"],
        inspection_type=InspectionType(row["inspection_type"]) if row["inspection_type"] else None,
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        score=row["score"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        version=row["version"],
    )


def where_clause(condition: ItemFilter) -> tuple[str, list[Any]]:
    """SQL for ``core.inspections.matches``; every value is a parameter."""
    clauses: list[str] = []
    params: list[Any] = []
    if condition.owner_id is not None:
        clauses.append("owner_id = ?")
        params.append(condition.owner_id)
    if condition.statuses:
        clauses.append(f"status IN ({', '.join('?' * len(condition.statuses))})")
        params += [s.value for s in condition.statuses]
    if condition.text is not None:
        clauses.append("instr(search_text, ?) > 0")
        params.append(condition.text)
    if condition.created_after is not None:
        clauses.append("created_at >= ?")
        params.append(to_text(condition.created_after))
    if condition.created_before is not None:
        clauses.append("created_at < ?")
        params.append(to_text(condition.created_before))
    return (" AND ".join(clauses) or "1"), params


def _explain_miss(conn: sqlite3.Connection, item_id: int) -> None:
    explain_miss(conn, "items", item_id, missing=NotFound(f"Item {item_id} does not exist."), stale=stale_version(item_id))


class SqliteItemRepository:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    async def add(self, record: ItemRecord) -> Item:
        return await self._db.run(lambda conn: _add(conn, record))

    async def get(self, item_id: int) -> Item | None:
        return await self._db.run(lambda conn: _get(conn, item_id))

    # One trip to the database thread each: confirm the caller, then the work,
    # inside one transaction so the caller cannot change in between.
    async def get_as(self, caller: Caller, item_id: int) -> tuple[Principal, Item | None]:
        def work(conn: sqlite3.Connection) -> tuple[Principal, Item | None]:
            with transaction(conn, immediate=False):
                return confirm(conn, caller), _get(conn, item_id)

        return await self._db.run(work)

    async def add_as(self, caller: Caller, record: ItemRecord) -> tuple[Principal, Item]:
        def work(conn: sqlite3.Connection) -> tuple[Principal, Item]:
            with transaction(conn):
                return confirm(conn, caller), _add(conn, record)

        return await self._db.run(work)

    async def search_as(self, caller: Caller, condition: ItemFilter, order: ItemOrder) -> tuple[Principal, list[Item], int]:
        def work(conn: sqlite3.Connection) -> tuple[Principal, list[Item], int]:
            with transaction(conn, immediate=False):
                return (confirm(conn, caller), *_search(conn, condition, order))

        return await self._db.run(work)

    async def update(self, item_id: int, record: ItemRecord, *, expected_version: int) -> Item:
        assignments = ", ".join(f"{column} = ?" for column in _VALUES)

        def work(conn: sqlite3.Connection) -> Item:
            with transaction(conn), translated_errors():
                row = conn.execute(
                    f"UPDATE items SET {assignments}, version = version + 1 WHERE id = ? AND version = ? "
                    f"RETURNING {_COLUMNS}",
                    (*_params(record), item_id, expected_version),
                ).fetchone()
                if row is None:
                    _explain_miss(conn, item_id)
                return _item(row)

        return await self._db.run(work)

    async def delete(self, item_id: int, *, expected_version: int | None) -> None:
        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                deleted = conn.execute(
                    "DELETE FROM items WHERE id = ? AND (? IS NULL OR version = ?)",
                    (item_id, expected_version, expected_version),
                ).rowcount
                if deleted == 0:
                    _explain_miss(conn, item_id)

        await self._db.run(work)

    async def search(self, condition: ItemFilter, order: ItemOrder) -> tuple[list[Item], int]:
        def work(conn: sqlite3.Connection) -> tuple[list[Item], int]:
            with transaction(conn, immediate=False):
                return _search(conn, condition, order)

        return await self._db.run(work)


def _add(conn: sqlite3.Connection, record: ItemRecord) -> Item:
    with translated_errors():
        row = conn.execute(
            f"INSERT INTO items ({', '.join(_VALUES)}) VALUES ({', '.join('?' * len(_VALUES))}) RETURNING {_COLUMNS}",
            _params(record),
        ).fetchone()
    return _item(row)


def _get(conn: sqlite3.Connection, item_id: int) -> Item | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
    return None if row is None else _item(row)


def _search(conn: sqlite3.Connection, condition: ItemFilter, order: ItemOrder) -> tuple[list[Item], int]:
    where, params = where_clause(condition)
    direction = "DESC" if order.descending else "ASC"
    column = {"created_at": "created_at", "updated_at": "updated_at"}[order.field]
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM items WHERE {where} ORDER BY {column} {direction}, id {direction} LIMIT ? OFFSET ?",
        (*params, order.limit, order.skip),
    ).fetchall()
    total = conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]
    return [_item(row) for row in rows], total
