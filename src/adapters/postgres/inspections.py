"""Inspection items in PostgreSQL, with raw parameterized SQL."""

from __future__ import annotations

from typing import Any

from adapters.postgres.catalog import like_substring
from adapters.postgres.database import (
    CALLER_CONFIRMED,
    SCHEMA,
    PostgresDatabase,
    caller_params,
    explain_miss,
    translated_errors,
)
from core.errors import AuthenticationFailed, NotFound
from core.identity import BAD_TOKEN, Caller, Principal
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
    f"%s::text, %s::text, %s::{SCHEMA}.item_status, %s::bigint, %s::text, %s::text, %s::{SCHEMA}.inspection_type, "
    "%s::date, %s::smallint, %s::text, %s::timestamptz, %s::timestamptz"
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


_STATUSES = {s.value: s for s in ItemStatus}
_TYPES = {t.value: t for t in InspectionType}
#: Where the statements below put their extra columns, after the item's own.
_AFTER_ITEM = 13


def _item(row: tuple[Any, ...]) -> Item:
    """An item from the first columns of a row, in ``_COLUMNS`` order."""
    return Item(
        id=row[0],
        title=row[1],
        description=row[2],
        status=_STATUSES[row[3]],
        owner_id=row[4],
        establishment_name=row[5],
        establishment_address=row[6],
        inspection_type=_TYPES[row[7]] if row[7] else None,
        due_date=row[8],
        score=row[9],
        created_at=row[10],
        updated_at=row[11],
        version=row[12],
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
        async with self._db.connection() as conn, conn.cursor() as cur:
            with translated_errors():
                await cur.execute(
                    f"INSERT INTO {_TABLE} ({_VALUES}) VALUES ({_PLACEHOLDERS}) RETURNING {_COLUMNS}", _params(record)
                )
            return _item(await cur.fetchone())

    async def get(self, item_id: int) -> Item | None:
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE id = %s", (item_id,))
            row = await cur.fetchone()
        return None if row is None else _item(row)

    async def update(self, item_id: int, record: ItemRecord, *, expected_version: int) -> Item:
        assignments = ", ".join(
            f"{column.strip()} = {placeholder.strip()}"
            for column, placeholder in zip(_VALUES.split(","), _PLACEHOLDERS.split(","), strict=True)
        )
        async with self._db.connection() as conn, conn.cursor() as cur:
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
        sql, params, order_by = _search_sql(condition, order)
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(f"{sql} {order_by}", params)
            rows = await cur.fetchall()
        return _page(rows)

    # -- on behalf of a caller: the caller is confirmed in the same statement --

    async def get_as(self, caller: Caller, item_id: int) -> tuple[Principal, Item | None]:
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f"WITH u AS ({CALLER_CONFIRMED}) "
                f"SELECT i.*, u.is_superuser FROM u "
                f"LEFT JOIN (SELECT {_COLUMNS} FROM {_TABLE} WHERE id = %s) i ON TRUE",
                (*caller_params(caller), item_id),
            )
            row = await cur.fetchone()
        return _principal(caller, row, _AFTER_ITEM), (None if row is None or row[0] is None else _item(row))

    async def add_as(self, caller: Caller, record: ItemRecord) -> tuple[Principal, Item]:
        async with self._db.connection() as conn, conn.cursor() as cur:
            with translated_errors():
                await cur.execute(
                    f"WITH u AS ({CALLER_CONFIRMED}), "
                    f"i AS (INSERT INTO {_TABLE} ({_VALUES}) SELECT {_PLACEHOLDERS} FROM u RETURNING {_COLUMNS}) "
                    f"SELECT i.*, u.is_superuser FROM u CROSS JOIN i",
                    (*caller_params(caller), *_params(record)),
                )
            row = await cur.fetchone()
        return _principal(caller, row, _AFTER_ITEM), _item(row)

    async def search_as(self, caller: Caller, condition: ItemFilter, order: ItemOrder) -> tuple[Principal, list[Item], int]:
        sql, params, order_by = _search_sql(condition, order)
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f"WITH u AS ({CALLER_CONFIRMED}) "
                f"SELECT s.*, u.is_superuser FROM u LEFT JOIN ({sql}) s ON TRUE {order_by}",
                (*caller_params(caller), *params),
            )
            rows = await cur.fetchall()
        return (_principal(caller, rows[0] if rows else None, _AFTER_ITEM + 1), *_page(rows))


def _search_sql(condition: ItemFilter, order: ItemOrder) -> tuple[str, list[Any], str]:
    """One statement for a page and the number of all matches: the page's rows,
    each with the total, or one row of NULLs with the total when the page is
    empty. Also the ORDER BY that keeps the page's order once it is joined."""
    where, params = where_clause(condition)
    direction = "DESC" if order.descending else "ASC"
    column = {"created_at": "created_at", "updated_at": "updated_at"}[order.field]
    sql = (
        f"SELECT p.*, t.total FROM (SELECT count(*) AS total FROM {_TABLE} WHERE {where}) t "
        f"LEFT JOIN (SELECT {_COLUMNS} FROM {_TABLE} WHERE {where} "
        f"ORDER BY {column} {direction}, id {direction} LIMIT %s OFFSET %s) p ON TRUE"
    )
    return sql, [*params, *params, order.limit, order.skip], f"ORDER BY {column} {direction}, id {direction}"


def _page(rows: list[tuple[Any, ...]]) -> tuple[list[Item], int]:
    """Items and the total from ``_search_sql`` rows (the total follows the item)."""
    total = rows[0][_AFTER_ITEM] if rows and rows[0][_AFTER_ITEM] is not None else 0
    return [_item(row) for row in rows if row[0] is not None], total


def _principal(caller: Caller, row: tuple[Any, ...] | None, at: int) -> Principal:
    """The confirmed caller from the ``is_superuser`` column at ``at``; no row: refused."""
    if row is None:
        raise AuthenticationFailed(BAD_TOKEN)
    return Principal(user_id=caller.user_id, is_superuser=row[at])


async def _explain_miss(cur: Any, item_id: int) -> None:
    await explain_miss(cur, _TABLE, item_id, missing=NotFound(f"Item {item_id} does not exist."), stale=stale_version(item_id))
