"""Cocktails in process memory, searched with the core's own ``matches``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Literal


from core.catalog import Cocktail, CocktailFilter, CocktailRecord, Facet, PageRequest, matches, name_taken, stale_version
from core.errors import Conflict, NotFound


class MemoryCocktailRepository:
    def __init__(self) -> None:
        self._rows: dict[int, tuple[CocktailRecord, int]] = {}  # id -> (record, version)
        self._by_name: dict[str, int] = {}
        self._next_id = 1

    async def add(self, record: CocktailRecord) -> Cocktail:
        if record.name_key in self._by_name:
            raise Conflict(name_taken(record.name))
        return self._insert(record)

    async def add_many(
        self, records: Sequence[CocktailRecord], progress: Callable[[int, int], None] | None = None
    ) -> int:
        fresh = [r for r in records if r.name_key not in self._by_name]
        for record in fresh:
            self._insert(record)
        if progress is not None:
            progress(len(records), len(records))
        return len(fresh)

    async def get(self, cocktail_id: int) -> Cocktail | None:
        row = self._rows.get(cocktail_id)
        return None if row is None else _cocktail(cocktail_id, *row)

    async def get_by_name_key(self, name_key: str) -> Cocktail | None:
        cocktail_id = self._by_name.get(name_key)
        return None if cocktail_id is None else await self.get(cocktail_id)

    async def update(self, cocktail_id: int, record: CocktailRecord, *, expected_version: int) -> Cocktail:
        current, version = self._current(cocktail_id, expected_version)
        holder = self._by_name.get(record.name_key)
        if holder is not None and holder != cocktail_id:
            raise Conflict(name_taken(record.name))
        del self._by_name[current.name_key]
        self._by_name[record.name_key] = cocktail_id
        self._rows[cocktail_id] = (record, version + 1)
        return _cocktail(cocktail_id, record, version + 1)

    async def delete(self, cocktail_id: int, *, expected_version: int | None) -> None:
        current, _ = self._current(cocktail_id, expected_version)
        del self._by_name[current.name_key]
        del self._rows[cocktail_id]

    async def search(self, condition: CocktailFilter, page: PageRequest) -> tuple[list[Cocktail], int]:
        found = sorted(
            ((record.name_key, cocktail_id) for cocktail_id, (record, _) in self._rows.items() if matches(condition, record))
        )
        after = [key for key in found if page.after is None or key > page.after]
        chosen = after[page.skip : page.skip + page.limit]
        return [_cocktail(i, *self._rows[i]) for _, i in chosen], len(found)

    async def ingredients(self, prefix_key: str, *, skip: int, limit: int) -> tuple[list[Facet], int]:
        names: dict[str, list[str]] = defaultdict(list)
        for record, _ in self._rows.values():
            for key, ingredient in zip(record.ingredient_keys, record.ingredients, strict=True):
                if key.startswith(prefix_key):
                    names[key].append(ingredient.name)
        return _facets(names, skip, limit)

    async def facets(self, field: Literal["category", "glass"], *, skip: int, limit: int) -> tuple[list[Facet], int]:
        names: dict[str, list[str]] = defaultdict(list)
        for record, _ in self._rows.values():
            key, name = (record.category_key, record.category) if field == "category" else (record.glass_key, record.glass)
            if key:
                names[key].append(name)
        return _facets(names, skip, limit)

    def _insert(self, record: CocktailRecord) -> Cocktail:
        cocktail_id = self._next_id
        self._next_id += 1
        self._rows[cocktail_id] = (record, 1)
        self._by_name[record.name_key] = cocktail_id
        return _cocktail(cocktail_id, record, 1)

    def _current(self, cocktail_id: int, expected_version: int | None) -> tuple[CocktailRecord, int]:
        row = self._rows.get(cocktail_id)
        if row is None:
            raise NotFound(f"Cocktail {cocktail_id} does not exist.")
        if expected_version is not None and row[1] != expected_version:
            raise stale_version(cocktail_id)
        return row


def _facets(names: dict[str, list[str]], skip: int, limit: int) -> tuple[list[Facet], int]:
    keys = sorted(names)
    return [Facet(name=min(names[k]), cocktails=len(names[k])) for k in keys[skip : skip + limit]], len(keys)


def _cocktail(cocktail_id: int, record: CocktailRecord, version: int) -> Cocktail:
    return Cocktail(
        id=cocktail_id,
        name=record.name,
        description=record.description,
        instructions=record.instructions,
        ingredients=list(record.ingredients),
        category=record.category,
        glass=record.glass,
        alcoholic=record.alcoholic,
        tags=list(record.tags),
        image_url=record.image_url,
        created_by=record.created_by,
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=version,
    )


__all__ = ["MemoryCocktailRepository"]
