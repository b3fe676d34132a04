"""What the catalog needs from storage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from core.catalog.model import Cocktail, CocktailFilter, CocktailRecord, Facet, PageRequest


class CocktailRepository(Protocol):
    """Stores cocktails; every key arrives computed by the core.

    ``add`` and ``update`` raise ``Conflict`` when ``name_key`` is taken.
    ``update`` and ``delete`` change the row only while its version is
    ``expected_version``: otherwise ``PreconditionFailed``, or ``NotFound``
    when there is no such row. ``update`` sets version to version + 1.
    """

    async def add(self, record: CocktailRecord) -> Cocktail: ...

    async def add_many(
        self, records: Sequence[CocktailRecord], progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Insert, in one transaction, those whose ``name_key`` is not stored yet;
        return how many were inserted. All or nothing. ``progress(done, total)``
        is called as batches are written."""
        ...

    async def get(self, cocktail_id: int) -> Cocktail | None: ...

    async def get_by_name_key(self, name_key: str) -> Cocktail | None: ...

    async def update(self, cocktail_id: int, record: CocktailRecord, *, expected_version: int) -> Cocktail: ...

    async def delete(self, cocktail_id: int, *, expected_version: int | None) -> None: ...

    async def search(self, condition: CocktailFilter, page: PageRequest) -> tuple[list[Cocktail], int]:
        """Matches in (name_key, id) order: those after ``page.after``, then skip and
        limit; and the number of all matches (ignoring paging)."""
        ...

    async def ingredients(self, prefix_key: str, *, skip: int, limit: int) -> tuple[list[Facet], int]:
        """Distinct ingredient keys starting with ``prefix_key``, in key order, each
        named by the smallest (by code point) spelling stored, with the number of
        cocktails using it; and the number of such keys."""
        ...

    async def facets(self, field: Literal["category", "glass"], *, skip: int, limit: int) -> tuple[list[Facet], int]:
        """Like ``ingredients`` for categories or glasses; blank values are left out."""
        ...
