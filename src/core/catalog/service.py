"""Catalog use cases: create, read, change, delete, search, pick, facets, import."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta

import msgspec

from core.catalog.model import (
    FACETS_DEFAULT_LIMIT,
    FACETS_MAX_LIMIT,
    MAX_LIMIT,
    Cocktail,
    CocktailDraft,
    CocktailPatch,
    CocktailQuery,
    Facet,
    ImportResult,
    PageRequest,
    Prefix,
)
from core.catalog.ports import CocktailRepository
from core.catalog.rules import decode_cursor, draft_of, encode_cursor, filter_for, normalized, record_for
from core.common import Clock, Page, check_page, is_valid_id, validated
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from core.identity.model import Principal
from core.text import fold

#: A PATCH without If-Match merges onto the current version; if another write
#: lands in between, it re-reads and merges again, this many times at most.
PATCH_ATTEMPTS = 5


def name_taken(name: str) -> str:
    return f"A cocktail named {name!r} already exists (names are unique ignoring case and accents)."


class CatalogService:
    def __init__(self, cocktails: CocktailRepository, clock: Clock, *, rng: random.Random | None = None) -> None:
        self._cocktails = cocktails
        self._clock = clock
        self._rng = rng or random.SystemRandom()

    # -- single cocktails --------------------------------------------------------

    async def create(self, actor: Principal, draft: CocktailDraft) -> Cocktail:
        draft = normalized(validated(draft))
        now = self._clock.now()
        if await self._cocktails.get_by_name_key(fold(draft.name)) is not None:
            raise Conflict(name_taken(draft.name))
        return await self._cocktails.add(record_for(draft, created_by=actor.user_id, created_at=now, updated_at=now))

    async def get(self, cocktail_id: int) -> Cocktail:
        cocktail = await self._cocktails.get(cocktail_id) if is_valid_id(cocktail_id) else None
        if cocktail is None:
            raise NotFound(f"Cocktail {cocktail_id} does not exist.")
        return cocktail

    async def replace(
        self, actor: Principal, cocktail_id: int, draft: CocktailDraft, *, expected_version: int | None = None
    ) -> Cocktail:
        """PUT: every field from ``draft``. With ``expected_version``, only if it is current."""
        draft = normalized(validated(draft))
        current = await self._editable(actor, cocktail_id)
        version = current.version if expected_version is None else expected_version
        return await self._write(current, draft, version)

    async def patch(
        self, actor: Principal, cocktail_id: int, patch: CocktailPatch, *, expected_version: int | None = None
    ) -> Cocktail:
        """PATCH: the given fields onto the current cocktail, never onto a stale copy."""
        patch = validated(patch)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        for attempt in range(PATCH_ATTEMPTS):
            current = await self._editable(actor, cocktail_id)
            if expected_version is not None and current.version != expected_version:
                raise stale_version(cocktail_id)
            draft = normalized(msgspec.structs.replace(draft_of(current), **changes))
            try:
                return await self._write(current, draft, current.version)
            except PreconditionFailed:
                if expected_version is not None or attempt == PATCH_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def delete(self, actor: Principal, cocktail_id: int, *, expected_version: int | None = None) -> None:
        await self._editable(actor, cocktail_id)
        await self._cocktails.delete(cocktail_id, expected_version=expected_version)

    # -- many cocktails ------------------------------------------------------------

    async def search(self, query: CocktailQuery) -> Page[Cocktail]:
        query = validated(query)
        after = decode_cursor(query.cursor) if query.cursor is not None else None
        items, total = await self._cocktails.search(
            filter_for(query), PageRequest(skip=query.skip, limit=query.limit, after=after)
        )
        next_cursor = None
        if len(items) == query.limit:
            last = items[-1]
            next_cursor = encode_cursor(fold(last.name), last.id)
        return Page(items=items, total=total, skip=query.skip, limit=query.limit, next_cursor=next_cursor)

    async def random(self, query: CocktailQuery | None = None) -> Cocktail:
        """One cocktail chosen uniformly among those matching ``query``."""
        query = validated(query or CocktailQuery())
        condition = filter_for(query)
        _, total = await self._cocktails.search(condition, PageRequest(limit=1))
        if total == 0:
            raise NotFound("No cocktail matches these filters.")
        items, _ = await self._cocktails.search(condition, PageRequest(skip=self._rng.randrange(total), limit=1))
        if not items:  # the catalog shrank between the two reads
            raise NotFound("No cocktail matches these filters.")
        return items[0]

    async def ingredients(self, prefix: str = "", *, skip: int = 0, limit: int = FACETS_DEFAULT_LIMIT) -> Page[Facet]:
        prefix = validated(_PrefixQuery(prefix=prefix)).prefix
        check_page(skip, limit, FACETS_MAX_LIMIT)
        items, total = await self._cocktails.ingredients(fold(prefix), skip=skip, limit=limit)
        return Page(items=items, total=total, skip=skip, limit=limit)

    async def categories(self, *, skip: int = 0, limit: int = FACETS_DEFAULT_LIMIT) -> Page[Facet]:
        check_page(skip, limit, FACETS_MAX_LIMIT)
        items, total = await self._cocktails.facets("category", skip=skip, limit=limit)
        return Page(items=items, total=total, skip=skip, limit=limit)

    async def glasses(self, *, skip: int = 0, limit: int = FACETS_DEFAULT_LIMIT) -> Page[Facet]:
        check_page(skip, limit, FACETS_MAX_LIMIT)
        items, total = await self._cocktails.facets("glass", skip=skip, limit=limit)
        return Page(items=items, total=total, skip=skip, limit=limit)

    async def import_cocktails(
        self,
        drafts: Sequence[CocktailDraft],
        *,
        created_by: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Add every cocktail whose name is not in the catalog yet, all at once.

        The whole batch is checked first: one invalid cocktail, or one name
        appearing twice in the batch, rejects it all (``InvalidInput`` naming the
        record) and nothing is written. Names already in the catalog are
        skipped, so importing the same file twice changes nothing.
        """
        now = self._clock.now()
        records = []
        first_seen: dict[str, int] = {}
        for index, draft in enumerate(drafts):
            try:
                clean_draft = normalized(validated(draft))
            except InvalidInput as exc:
                raise _in_record(exc, index, draft) from exc
            key = fold(clean_draft.name)
            if key in first_seen:
                raise InvalidInput.for_field(
                    f"cocktails[{index}].name", f"{clean_draft.name!r} repeats cocktail {first_seen[key]} of this file"
                )
            first_seen[key] = index
            records.append(record_for(clean_draft, created_by=created_by, created_at=now, updated_at=now))
        added = await self._cocktails.add_many(records, progress)
        return ImportResult(added=added, skipped=len(records) - added)

    async def export(self, *, batch: int = MAX_LIMIT) -> AsyncIterator[Cocktail]:
        """Every cocktail in catalog order, read page by page (keyset)."""
        after: tuple[str, int] | None = None
        condition = filter_for(CocktailQuery())
        while True:
            items, _ = await self._cocktails.search(condition, PageRequest(limit=batch, after=after))
            for item in items:
                yield item
            if len(items) < batch:
                return
            after = (fold(items[-1].name), items[-1].id)

    # -- helpers -------------------------------------------------------------------------

    async def _editable(self, actor: Principal, cocktail_id: int) -> Cocktail:
        cocktail = await self.get(cocktail_id)
        if not actor.is_superuser and cocktail.created_by != actor.user_id:
            raise Forbidden("Only the cocktail's creator or a superuser may change or delete it.")
        return cocktail

    async def _write(self, current: Cocktail, draft: CocktailDraft, expected_version: int) -> Cocktail:
        holder = await self._cocktails.get_by_name_key(fold(draft.name))
        if holder is not None and holder.id != current.id:
            raise Conflict(name_taken(draft.name))
        record = record_for(
            draft, created_by=current.created_by, created_at=current.created_at, updated_at=self._updated_at(current)
        )
        return await self._cocktails.update(current.id, record, expected_version=expected_version)

    def _updated_at(self, current: Cocktail) -> datetime:
        """Now, but never at or before the previous update: updated_at always moves."""
        return max(self._clock.now(), current.updated_at + timedelta(microseconds=1))


class _PrefixQuery(msgspec.Struct, frozen=True):
    prefix: Prefix = ""


def stale_version(cocktail_id: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"Cocktail {cocktail_id} has changed since the version named in If-Match; read it again and retry."
    )


def _in_record(exc: InvalidInput, index: int, draft: CocktailDraft) -> InvalidInput:
    name = getattr(draft, "name", "?")
    errors = [msgspec.structs.replace(e, field=f"cocktails[{index}].{e.field}") for e in exc.errors]
    return InvalidInput(f"cocktail {index} ({name!r}): {exc.message}", errors)
