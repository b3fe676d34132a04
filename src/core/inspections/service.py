"""Inspection item use cases: ownership, the status workflow, lost-update safety."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from core.common import Clock, Page, is_valid_id, validated
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from core.identity.model import Caller, Principal
from core.inspections.model import Item, ItemCreate, ItemFilter, ItemOrder, ItemQuery, ItemRecord, ItemStatus, ItemUpdate
from core.inspections.ports import ItemRepository
from core.inspections.workflow import check_transition
from core.text import clean, clean_block, fold


def search_text(title: str, description: str) -> str:
    return fold(title) + "\n" + fold(description)


def stale_version(item_id: int) -> PreconditionFailed:
    return PreconditionFailed(f"Item {item_id} has changed since the version named in If-Match; read it again and retry.")


def _not_found(item_id: int) -> NotFound:
    return NotFound(f"Item {item_id} does not exist.")


class InspectionService:
    """Users see and change only their own items; superusers see and change all.

    Someone else's item is reported exactly like a missing one, so ids tell a
    caller nothing. Items of a deactivated user stay, owned by that user, and
    superusers keep seeing them.

    Every use case takes either a ``Principal`` (already confirmed, as from
    ``Principal.of(user)``) or a ``Caller`` straight from a token; a caller is
    confirmed by storage in the same round trip as the first read or write,
    so a request costs one database round trip where one is enough.
    """

    def __init__(self, items: ItemRepository, clock: Clock) -> None:
        self._items = items
        self._clock = clock

    async def create(self, actor: Principal | Caller, data: ItemCreate) -> Item:
        data = validated(data)
        now = self._clock.now()
        title = clean(data.title)
        if not title:
            raise InvalidInput.for_field("title", "must not be blank")
        description = clean_block(data.description)
        record = ItemRecord(
            title=title,
            description=description,
            status=ItemStatus.PENDING,
            owner_id=actor.user_id,
            establishment_name=_optional(data.establishment_name),
            establishment_address=_optional(data.establishment_address),
            inspection_type=data.inspection_type,
            due_date=data.due_date,
            score=data.score,
            search_text=search_text(title, description),
            created_at=now,
            updated_at=now,
        )
        if isinstance(actor, Caller):
            return (await self._items.add_as(actor, record))[1]
        return await self._items.add(record)

    async def get(self, actor: Principal | Caller, item_id: int) -> Item:
        return (await self._visible(actor, item_id))[1]

    async def _visible(self, actor: Principal | Caller, item_id: int) -> tuple[Principal, Item]:
        """The confirmed actor and the item, if they may see it (else 404)."""
        if isinstance(actor, Caller):
            # An id that cannot exist still confirms the caller first: 401 before 404.
            actor, item = await self._items.get_as(actor, item_id if is_valid_id(item_id) else 0)
        else:
            item = await self._items.get(item_id) if is_valid_id(item_id) else None
        if item is None or not (actor.is_superuser or item.owner_id == actor.user_id):
            raise _not_found(item_id)
        return actor, item

    async def update(
        self, actor: Principal | Caller, item_id: int, data: ItemUpdate, *, expected_version: int | None = None
    ) -> Item:
        """Change the given fields. A status change must be a legal move from the
        *current* status; if the item changes between our read and our write the
        write is refused (409, or 412 when If-Match named the version), so two
        concurrent status changes can never both win."""
        data = validated(data)
        actor, current = await self._visible(actor, item_id)
        if expected_version is not None and current.version != expected_version:
            raise stale_version(item_id)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "status" in changes:
            check_transition(current.status, changes["status"], superuser=actor.is_superuser)
        if "title" in changes:
            changes["title"] = clean(changes["title"])
            if not changes["title"]:
                raise InvalidInput.for_field("title", "must not be blank")
        if "description" in changes:
            changes["description"] = clean_block(changes["description"])
        for field in ("establishment_name", "establishment_address"):
            if field in changes:
                changes[field] = _optional(changes[field])
        merged = msgspec.structs.replace(_record_of(current), **changes, updated_at=self._updated_at(current))
        merged = msgspec.structs.replace(merged, search_text=search_text(merged.title, merged.description))
        try:
            return await self._items.update(item_id, merged, expected_version=current.version)
        except PreconditionFailed:
            if expected_version is not None:
                raise
            raise Conflict(
                f"Item {item_id} was changed by someone else while this request ran; read it again and retry."
            ) from None

    async def delete(self, actor: Principal | Caller, item_id: int, *, expected_version: int | None = None) -> None:
        await self._visible(actor, item_id)
        await self._items.delete(item_id, expected_version=expected_version)

    async def search(self, actor: Principal | Caller, query: ItemQuery) -> Page[Item]:
        """Own items, or everyone's for a superuser (who may narrow by ``owner_id``)."""
        query = validated(query)
        if isinstance(actor, Caller):
            # Ask with the role the token was issued with, confirming the caller in
            # the same statement; if the stored role differs (changed since login)
            # or the guess was refused, answer again as the confirmed principal.
            guess = actor.guess()
            try:
                condition, order = self._condition(guess, query)
                refused = False
            except Forbidden:
                condition, order = self._condition(guess, msgspec.structs.replace(query, owner_id=None))
                refused = True
            principal, items, total = await self._items.search_as(actor, condition, order)
            if refused or principal != guess:
                return await self.search(principal, query)
            return Page(items=items, total=total, skip=query.skip, limit=query.limit)
        condition, order = self._condition(actor, query)
        items, total = await self._items.search(condition, order)
        return Page(items=items, total=total, skip=query.skip, limit=query.limit)

    @staticmethod
    def _condition(actor: Principal, query: ItemQuery) -> tuple[ItemFilter, ItemOrder]:
        if query.owner_id is not None and not actor.is_superuser and query.owner_id != actor.user_id:
            raise Forbidden("Only superusers may list other users' items (owner_id).")
        for name, moment in (("created_after", query.created_after), ("created_before", query.created_before)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput.for_field(name, "needs a timezone, for example 2026-01-31T00:00:00Z")
        text = fold(query.search) if query.search is not None else ""
        condition = ItemFilter(
            owner_id=query.owner_id if actor.is_superuser else actor.user_id,
            statuses=tuple(dict.fromkeys(query.status)),
            text=text or None,
            created_after=query.created_after,
            created_before=query.created_before,
        )
        order = ItemOrder(
            field="updated_at" if query.sort.endswith("updated_at") else "created_at",
            descending=query.sort.startswith("-"),
            skip=query.skip,
            limit=query.limit,
        )
        return condition, order

    def _updated_at(self, current: Item) -> datetime:
        """Now, but never at or before the previous update: updated_at always moves."""
        return max(self._clock.now(), current.updated_at + timedelta(microseconds=1))


def _optional(text: str | None) -> str | None:
    return (clean(text) or None) if text is not None else None


def _record_of(item: Item) -> ItemRecord:
    return ItemRecord(
        title=item.title,
        description=item.description,
        status=item.status,
        owner_id=item.owner_id,
        establishment_name=item.establishment_name,
        establishment_address=item.establishment_address,
        inspection_type=item.inspection_type,
        due_date=item.due_date,
        score=item.score,
        search_text=search_text(item.title, item.description),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def matches(condition: ItemFilter, record: ItemRecord) -> bool:
    """The definition of a list match; SQL adapters implement exactly this."""
    if condition.owner_id is not None and record.owner_id != condition.owner_id:
        return False
    if condition.statuses and record.status not in condition.statuses:
        return False
    if condition.text is not None and condition.text not in record.search_text:
        return False
    if condition.created_after is not None and record.created_at < condition.created_after:
        return False
    return condition.created_before is None or record.created_at < condition.created_before
