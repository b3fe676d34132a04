"""Cocktails in SQLite: FTS5 trigram for substring search, a child table for ingredients."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Literal

from adapters.sqlite.database import SqliteDatabase, explain_miss, from_text, to_text, transaction, translated_errors
from core.catalog import Cocktail, CocktailFilter, CocktailRecord, Facet, Ingredient, PageRequest, name_taken, stale_version
from core.errors import NotFound

_COLUMNS = (
    "id, name, description, instructions, ingredients, category, glass, alcoholic, tags, "
    "image_url, created_by, created_at, updated_at, version"
)
_VALUES = (
    "name", "name_key", "description", "instructions", "ingredients", "category", "category_key", "glass",
    "glass_key", "alcoholic", "tags", "image_url", "search_text", "created_by", "created_at", "updated_at",
)  # fmt: skip
#: FTS5's trigram index only helps for queries of three characters or more.
_TRIGRAM = 3


def _params(record: CocktailRecord) -> tuple[Any, ...]:
    return (
        record.name,
        record.name_key,
        record.description,
        record.instructions,
        json.dumps([{"name": i.name, "measure": i.measure} for i in record.ingredients], ensure_ascii=False),
        record.category,
        record.category_key,
        record.glass,
        record.glass_key,
        record.alcoholic,
        json.dumps(record.tags, ensure_ascii=False),
        record.image_url,
        record.search_text,
        record.created_by,
        to_text(record.created_at),
        to_text(record.updated_at),
    )


def _cocktail(row: sqlite3.Row) -> Cocktail:
    return Cocktail(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        instructions=row["instructions"],
        ingredients=[Ingredient(name=i["name"], measure=i["measure"]) for i in json.loads(row["ingredients"])],
        category=row["category"],
        glass=row["glass"],
        alcoholic=bool(row["alcoholic"]),
        tags=json.loads(row["tags"]),
        image_url=row["image_url"],
        created_by=row["created_by"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        version=row["version"],
    )


def where_clause(condition: CocktailFilter) -> tuple[str, list[Any]]:
    """SQL for ``core.catalog.matches``; every value is a parameter."""
    clauses: list[str] = []
    params: list[Any] = []
    if condition.text is not None:
        if len(condition.text) >= _TRIGRAM:
            # The trigram index narrows the rows; instr() then checks the exact substring.
            clauses.append("c.id IN (SELECT rowid FROM cocktails_fts WHERE cocktails_fts MATCH ?)")
            params.append('"' + condition.text.replace('"', '""') + '"')
        clauses.append("instr(c.search_text, ?) > 0")
        params.append(condition.text)
    for key in condition.ingredient_keys:
        clauses.append("c.id IN (SELECT cocktail_id FROM cocktail_ingredients WHERE key = ?)")
        params.append(key)
    if condition.category_key is not None:
        clauses.append("c.category_key = ?")
        params.append(condition.category_key)
    if condition.glass_key is not None:
        clauses.append("c.glass_key = ?")
        params.append(condition.glass_key)
    if condition.alcoholic is not None:
        clauses.append("c.alcoholic = ?")
        params.append(int(condition.alcoholic))
    return (" AND ".join(clauses) or "1"), params


def _insert(conn: sqlite3.Connection, record: CocktailRecord, *, or_ignore: bool = False) -> sqlite3.Row | None:
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    placeholders = ", ".join("?" * len(_VALUES))
    cursor = conn.execute(
        f"{verb} INTO cocktails ({', '.join(_VALUES)}) VALUES ({placeholders}) RETURNING {_COLUMNS}",
        _params(record),
    )
    row = cursor.fetchone()
    if row is not None:
        _write_ingredients(conn, row["id"], record)
    return row


def _write_ingredients(conn: sqlite3.Connection, cocktail_id: int, record: CocktailRecord) -> None:
    conn.execute("DELETE FROM cocktail_ingredients WHERE cocktail_id = ?", (cocktail_id,))
    conn.executemany(
        "INSERT INTO cocktail_ingredients (cocktail_id, position, key, name) VALUES (?, ?, ?, ?)",
        [(cocktail_id, p, k, i.name) for p, (k, i) in enumerate(zip(record.ingredient_keys, record.ingredients, strict=True))],
    )


def _explain_miss(conn: sqlite3.Connection, cocktail_id: int) -> None:
    explain_miss(conn, "cocktails", cocktail_id, missing=NotFound(f"Cocktail {cocktail_id} does not exist."), stale=stale_version(cocktail_id))


class SqliteCocktailRepository:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    async def add(self, record: CocktailRecord) -> Cocktail:
        def work(conn: sqlite3.Connection) -> Cocktail:
            with transaction(conn), translated_errors({"cocktails.name_key": name_taken(record.name)}):
                return _cocktail(_insert(conn, record))

        return await self._db.run(work)

    async def add_many(
        self, records: Sequence[CocktailRecord], progress: Callable[[int, int], None] | None = None
    ) -> int:
        def work(conn: sqlite3.Connection) -> int:
            added = 0
            with transaction(conn):
                for done, record in enumerate(records, start=1):
                    if _insert(conn, record, or_ignore=True) is not None:
                        added += 1
                    if progress is not None and (done % 1000 == 0 or done == len(records)):
                        progress(done, len(records))
            return added

        return await self._db.run(work)

    async def get(self, cocktail_id: int) -> Cocktail | None:
        return await self._one(f"SELECT {_COLUMNS} FROM cocktails WHERE id = ?", (cocktail_id,))

    async def get_by_name_key(self, name_key: str) -> Cocktail | None:
        return await self._one(f"SELECT {_COLUMNS} FROM cocktails WHERE name_key = ?", (name_key,))

    async def update(self, cocktail_id: int, record: CocktailRecord, *, expected_version: int) -> Cocktail:
        assignments = ", ".join(f"{column} = ?" for column in _VALUES)

        def work(conn: sqlite3.Connection) -> Cocktail:
            with transaction(conn), translated_errors({"cocktails.name_key": name_taken(record.name)}):
                row = conn.execute(
                    f"UPDATE cocktails SET {assignments}, version = version + 1 "
                    f"WHERE id = ? AND version = ? RETURNING {_COLUMNS}",
                    (*_params(record), cocktail_id, expected_version),
                ).fetchone()
                if row is None:
                    _explain_miss(conn, cocktail_id)
                _write_ingredients(conn, cocktail_id, record)
                return _cocktail(row)

        return await self._db.run(work)

    async def delete(self, cocktail_id: int, *, expected_version: int | None) -> None:
        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                deleted = conn.execute(
                    "DELETE FROM cocktails WHERE id = ? AND (? IS NULL OR version = ?)",
                    (cocktail_id, expected_version, expected_version),
                ).rowcount
                if deleted == 0:
                    _explain_miss(conn, cocktail_id)

        await self._db.run(work)

    async def search(self, condition: CocktailFilter, page: PageRequest) -> tuple[list[Cocktail], int]:
        where, params = where_clause(condition)
        page_where, page_params = where, list(params)
        if page.after is not None:
            page_where += " AND (c.name_key, c.id) > (?, ?)"
            page_params += [page.after[0], page.after[1]]

        def work(conn: sqlite3.Connection) -> tuple[list[Cocktail], int]:
            with transaction(conn, immediate=False):
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM cocktails AS c WHERE {page_where} ORDER BY c.name_key, c.id LIMIT ? OFFSET ?",
                    (*page_params, page.limit, page.skip),
                ).fetchall()
                total = conn.execute(f"SELECT count(*) FROM cocktails AS c WHERE {where}", params).fetchone()[0]
            return [_cocktail(row) for row in rows], total

        return await self._db.run(work)

    async def ingredients(self, prefix_key: str, *, skip: int, limit: int) -> tuple[list[Facet], int]:
        source = "FROM cocktail_ingredients WHERE substr(key, 1, length(?1)) = ?1"

        def work(conn: sqlite3.Connection) -> tuple[list[Facet], int]:
            with transaction(conn, immediate=False):
                rows = conn.execute(
                    f"SELECT min(name), count(*) {source} GROUP BY key ORDER BY key LIMIT ?2 OFFSET ?3",
                    (prefix_key, limit, skip),
                ).fetchall()
                total = conn.execute(f"SELECT count(DISTINCT key) {source}", (prefix_key,)).fetchone()[0]
            return [Facet(name=r[0], cocktails=r[1]) for r in rows], total

        return await self._db.run(work)

    async def facets(self, field: Literal["category", "glass"], *, skip: int, limit: int) -> tuple[list[Facet], int]:
        column = {"category": "category", "glass": "glass"}[field]

        def work(conn: sqlite3.Connection) -> tuple[list[Facet], int]:
            with transaction(conn, immediate=False):
                rows = conn.execute(
                    f"SELECT min({column}), count(*) FROM cocktails WHERE {column}_key <> '' "
                    f"GROUP BY {column}_key ORDER BY {column}_key LIMIT ? OFFSET ?",
                    (limit, skip),
                ).fetchall()
                total = conn.execute(
                    f"SELECT count(DISTINCT {column}_key) FROM cocktails WHERE {column}_key <> ''"
                ).fetchone()[0]
            return [Facet(name=r[0], cocktails=r[1]) for r in rows], total

        return await self._db.run(work)

    async def _one(self, query: str, params: tuple[Any, ...]) -> Cocktail | None:
        def work(conn: sqlite3.Connection) -> Cocktail | None:
            row = conn.execute(query, params).fetchone()
            return None if row is None else _cocktail(row)

        return await self._db.run(work)
