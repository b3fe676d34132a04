"""Inspection items in PostgreSQL, with raw parameterized SQL."""

from __future__ import annotations

from typing import Any

from psycopg.rows import dict_row

from adapters.postgres.catalog import like_substring
from adapters.postgres.database import SCHEMA, PostgresDatabase, explain_miss, translated_errors
from core.errors import NotFound
from core.inspections import InspectionType, Item, ItemFilter, ItemOrder, ItemRecord, ItemStatus, stale_version

_TABLE = f"{SCHEMA}.items"
_COLUMNS = (
    "id, title, description, status::text AS status, owner_id, establishment_name, establishment_address, "
    "inspection_type::text AS inspection_type, due_date, score, created_at, updated_at, version"
)
_VALUES = (
    "title, description, status, owner_id, establishment_name, establishment_address, inspection_type, "
    "due_date, score, search_text, created_at, updated_at"
)
_PLACEHOLDERS = (
    f"%s, %s, %s::{SCHEMA}.item_status, %s, %s, %s, %s::{SCHEMA}.inspection_type, %s, %s, %s, %s, %s"
)


def _params(record: ItemRecord) -> tuple[Any, ...]:
    return (
        record.title,
        record.description,
        record.status.value,
        record.owner_id,
        record.establishment_name,
        record.establishment_address,
        record.inspection_type.value if record.inspection_type else None,
        record.due_date,
        record.score,
        record.search_text,
        record.created_at,
        record.updated_at,
    )


def _item(row: dict[str, Any]) -> Item:
    return Item(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        status=ItemStatus(row["status"]),
        owner_id=row["owner_id"],
        establishment_name=row["establishment_name"],
        establishment_address=row["establishment_address"],
        inspection_type=InspectionType(row["inspection_type"]) if row["inspection_type"] else None,
        due_date=row["due_date"],
        score=row["score"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def where_clause(condition: ItemFilter) -> tuple[str, list[Any]]:
    """SQL for ``core.inspections.matches``; every value is a parameter."""
    clauses: list[str] = []
    params: list[Any] = []
    if condition.owner_id is not None:
        clauses.append("owner_id = %s")
        params.append(condition.owner_id)
    if condition.statuses:
        clauses.append(f"status = ANY(%s::{SCHEMA}.item_status[])")
        params.append([s.value for s in condition.statuses])
    if condition.text is not None:
        clauses.append("search_text LIKE %s")
        params.append(like_substring(condition.text))
    if condition.created_after is not None:
        clauses.append("created_at >= %s")
        params.append(condition.created_after)
    if condition.created_before is not None:
        clauses.append("created_at < %s")
        params.append(condition.created_before)
    return (" AND ".join(clauses) or "TRUE"), params


class PostgresItemRepository:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    async def add(self, record: ItemRecord) -> Item:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors():
                await cur.execute(
                    f"INSERT INTO {_TABLE} ({_VALUES}) VALUES ({_PLACEHOLDERS}) RETURNING {_COLUMNS}", _params(record)
                )
            return _item(await cur.fetchone())

    async def get(self, item_id: int) -> Item | None:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE id = %s", (item_id,))
            row = await cur.fetchone()
        return None if row is None else _item(row)

    async def update(self, item_id: int, record: ItemRecord, *, expected_version: int) -> Item:
        assignments = ", ".join(
            f"{column.strip()} = {placeholder.strip()}"
            for column, placeholder in zip(_VALUES.split(","), _PLACEHOLDERS.split(","), strict=True)
        )
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors():
                await cur.execute(
                    f"UPDATE {_TABLE} SET {assignments}, version = version + 1 "
                    f"WHERE id = %s AND version = %s RETURNING {_COLUMNS}",
                    (*_params(record), item_id, expected_version),
                )
            row = await cur.fetchone()
            if row is not None:
                return _item(row)
            await _explain_miss(cur, item_id)
        raise AssertionError("unreachable")

    async def delete(self, item_id: int, *, expected_version: int | None) -> None:
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f"DELETE FROM {_TABLE} WHERE id = %s AND (%s::integer IS NULL OR version = %s)",
                (item_id, expected_version, expected_version),
            )
            if cur.rowcount == 0:
                await _explain_miss(cur, item_id)

    async def search(self, condition: ItemFilter, order: ItemOrder) -> tuple[list[Item], int]:
        where, params = where_clause(condition)
        direction = "DESC" if order.descending else "ASC"
        column = {"created_at": "created_at", "updated_at": "updated_at"}[order.field]
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(
                f"SELECT {_COLUMNS} FROM {_TABLE} WHERE {where} "
                f"ORDER BY {column} {direction}, id {direction} LIMIT %s OFFSET %s",
                (*params, order.limit, order.skip),
            )
            rows = await cur.fetchall()
            await cur.execute(f"SELECT count(*) AS n FROM {_TABLE} WHERE {where}", params)
            total = (await cur.fetchone())["n"]
        return [_item(row) for row in rows], total


async def _explain_miss(cur: Any, item_id: int) -> None:
    await explain_miss(cur, _TABLE, item_id, missing=NotFound(f"Item {item_id} does not exist."), stale=stale_version(item_id))
