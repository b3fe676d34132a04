"""Cocktails in PostgreSQL: raw parameterized SQL over indexed, pre-folded keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from psycopg.rows import dict_row

from adapters.postgres.database import SCHEMA, PostgresDatabase, explain_miss, translated_errors
from core.catalog import Cocktail, CocktailFilter, CocktailRecord, Facet, Ingredient, PageRequest, name_taken, stale_version
from core.errors import NotFound

_TABLE = f"{SCHEMA}.cocktails"
_COLUMNS = (
    "id, name, description, instructions, ingredient_names, ingredient_measures, category, glass, alcoholic, "
    "tags, image_url, created_by, created_at, updated_at, version"
)
_VALUES = (
    "name, name_key, description, instructions, ingredient_names, ingredient_measures, ingredient_keys, "
    "category, category_key, glass, glass_key, alcoholic, tags, image_url, search_text, created_by, "
    "created_at, updated_at"
)
_PLACEHOLDERS = ", ".join(["%s"] * 18)
_IMPORT_CHUNK = 1_000


def _params(record: CocktailRecord) -> tuple[Any, ...]:
    return (
        record.name,
        record.name_key,
        record.description,
        record.instructions,
        [i.name for i in record.ingredients],
        [i.measure for i in record.ingredients],
        record.ingredient_keys,
        record.category,
        record.category_key,
        record.glass,
        record.glass_key,
        record.alcoholic,
        record.tags,
        record.image_url,
        record.search_text,
        record.created_by,
        record.created_at,
        record.updated_at,
    )


def _cocktail(row: dict[str, Any]) -> Cocktail:
    return Cocktail(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        instructions=row["instructions"],
        ingredients=[
            Ingredient(name=n, measure=m) for n, m in zip(row["ingredient_names"], row["ingredient_measures"], strict=True)
        ],
        category=row["category"],
        glass=row["glass"],
        alcoholic=row["alcoholic"],
        tags=row["tags"],
        image_url=row["image_url"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def like_substring(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with its wildcards escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_clause(condition: CocktailFilter) -> tuple[str, list[Any]]:
    """SQL for ``core.catalog.matches``; every value is a parameter."""
    clauses: list[str] = []
    params: list[Any] = []
    if condition.text is not None:
        clauses.append("search_text LIKE %s")
        params.append(like_substring(condition.text))
    if condition.ingredient_keys:
        clauses.append("ingredient_keys @> %s::text[]")
        params.append(list(condition.ingredient_keys))
    if condition.category_key is not None:
        clauses.append("category_key = %s")
        params.append(condition.category_key)
    if condition.glass_key is not None:
        clauses.append("glass_key = %s")
        params.append(condition.glass_key)
    if condition.alcoholic is not None:
        clauses.append("alcoholic = %s")
        params.append(condition.alcoholic)
    return (" AND ".join(clauses) or "TRUE"), params


Query = tuple[str, list[Any]]


def search_queries(condition: CocktailFilter, page: PageRequest) -> tuple[Query, Query]:
    """The page query and the count query of a search (tests EXPLAIN these very strings)."""
    where, params = where_clause(condition)
    page_where, page_params = where, list(params)
    if page.after is not None:
        page_where += " AND (name_key, id) > (%s, %s)"
        page_params += [page.after[0], page.after[1]]
    # name_key is unique, so ordering by it alone is the core's (name_key, id) order.
    page_sql = f"SELECT {_COLUMNS}, name_key FROM {_TABLE} WHERE {page_where} ORDER BY name_key LIMIT %s OFFSET %s"
    count_sql = f"SELECT count(*) AS n FROM {_TABLE} WHERE {where}"
    return (page_sql, [*page_params, page.limit, page.skip]), (count_sql, params)


class PostgresCocktailRepository:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    async def add(self, record: CocktailRecord) -> Cocktail:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors({"cocktails_name_key_key": name_taken(record.name)}):
                await cur.execute(
                    f"INSERT INTO {_TABLE} ({_VALUES}) VALUES ({_PLACEHOLDERS}) RETURNING {_COLUMNS}", _params(record)
                )
            return _cocktail(await cur.fetchone())

    async def add_many(
        self, records: Sequence[CocktailRecord], progress: Callable[[int, int], None] | None = None
    ) -> int:
        added = 0
        async with self._db.connection() as conn, conn.transaction(), conn.cursor() as cur:
            for start in range(0, len(records), _IMPORT_CHUNK):
                chunk = records[start : start + _IMPORT_CHUNK]
                with translated_errors():
                    await cur.executemany(
                        f"INSERT INTO {_TABLE} ({_VALUES}) VALUES ({_PLACEHOLDERS}) "
                        "ON CONFLICT (name_key) DO NOTHING",
                        [_params(r) for r in chunk],
                    )
                added += max(cur.rowcount, 0)
                if progress is not None:
                    progress(start + len(chunk), len(records))
        return added

    async def get(self, cocktail_id: int) -> Cocktail | None:
        return await self._one(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE id = %s", (cocktail_id,))

    async def get_by_name_key(self, name_key: str) -> Cocktail | None:
        return await self._one(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE name_key = %s", (name_key,))

    async def update(self, cocktail_id: int, record: CocktailRecord, *, expected_version: int) -> Cocktail:
        assignments = ", ".join(f"{column.strip()} = %s" for column in _VALUES.split(","))
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            with translated_errors({"cocktails_name_key_key": name_taken(record.name)}):
                await cur.execute(
                    f"UPDATE {_TABLE} SET {assignments}, version = version + 1 "
                    f"WHERE id = %s AND version = %s RETURNING {_COLUMNS}",
                    (*_params(record), cocktail_id, expected_version),
                )
            row = await cur.fetchone()
            if row is not None:
                return _cocktail(row)
            await _explain_miss(cur, cocktail_id)
        raise AssertionError("unreachable")

    async def delete(self, cocktail_id: int, *, expected_version: int | None) -> None:
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f"DELETE FROM {_TABLE} WHERE id = %s AND (%s::integer IS NULL OR version = %s)",
                (cocktail_id, expected_version, expected_version),
            )
            if cur.rowcount == 0:
                await _explain_miss(cur, cocktail_id)

    async def search(self, condition: CocktailFilter, page: PageRequest) -> tuple[list[Cocktail], int]:
        (page_sql, page_params), (count_sql, count_params) = search_queries(condition, page)
        # One round trip: the page's rows each carry the total; an empty page is one
        # row of NULLs carrying it.
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(
                f"SELECT p.*, t.n AS total FROM ({count_sql}) t LEFT JOIN ({page_sql}) p ON TRUE ORDER BY p.name_key",
                [*count_params, *page_params],
            )
            rows = await cur.fetchall()
        return [_cocktail(row) for row in rows if row["id"] is not None], rows[0]["total"]

    async def ingredients(self, prefix_key: str, *, skip: int, limit: int) -> tuple[list[Facet], int]:
        source = f"{_TABLE} AS c, unnest(c.ingredient_keys, c.ingredient_names) AS t(key, name) WHERE starts_with(t.key, %s)"
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f'SELECT min(t.name COLLATE "C"), count(*) FROM {source} GROUP BY t.key ORDER BY t.key LIMIT %s OFFSET %s',
                (prefix_key, limit, skip),
            )
            rows = await cur.fetchall()
            await cur.execute(f"SELECT count(DISTINCT t.key) FROM {source}", (prefix_key,))
            total = (await cur.fetchone())[0]
        return [Facet(name=name, cocktails=n) for name, n in rows], total

    async def facets(self, field: Literal["category", "glass"], *, skip: int, limit: int) -> tuple[list[Facet], int]:
        column = {"category": "category", "glass": "glass"}[field]
        async with self._db.connection() as conn, conn.cursor() as cur:
            await cur.execute(
                f'SELECT min({column} COLLATE "C"), count(*) FROM {_TABLE} WHERE {column}_key <> \'\' '
                f"GROUP BY {column}_key ORDER BY {column}_key LIMIT %s OFFSET %s",
                (limit, skip),
            )
            rows = await cur.fetchall()
            await cur.execute(f"SELECT count(DISTINCT {column}_key) FROM {_TABLE} WHERE {column}_key <> ''")
            total = (await cur.fetchone())[0]
        return [Facet(name=name, cocktails=n) for name, n in rows], total

    async def _one(self, query: str, params: tuple[Any, ...]) -> Cocktail | None:
        async with self._db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(query, params)
            row = await cur.fetchone()
        return None if row is None else _cocktail(row)


async def _explain_miss(cur: Any, cocktail_id: int) -> None:
    await explain_miss(
        cur, _TABLE, cocktail_id, missing=NotFound(f"Cocktail {cocktail_id} does not exist."), stale=stale_version(cocktail_id)
    )
