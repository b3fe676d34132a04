"""Inspection items in process memory, filtered with the core's own ``matches``."""

from __future__ import annotations

from adapters.memory.identity import MemoryUserRepository
from core.errors import AuthenticationFailed, NotFound
from core.identity import BAD_TOKEN, Caller, Principal
from core.inspections import Item, ItemFilter, ItemOrder, ItemRecord, matches, stale_version


class MemoryItemRepository:
    """Items in a dict. Callers are confirmed against ``users`` (the same
    storage's user repository); without one, every ``*_as`` call is refused."""

    def __init__(self, users: MemoryUserRepository | None = None) -> None:
        self._rows: dict[int, tuple[ItemRecord, int]] = {}
        self._next_id = 1
        self._users = users

    async def _confirm(self, caller: Caller) -> Principal:
        user = await self._users.get(caller.user_id) if self._users is not None else None
        principal = caller.confirmed_by(user)
        if principal is None:
            raise AuthenticationFailed(BAD_TOKEN)
        return principal

    async def get_as(self, caller: Caller, item_id: int) -> tuple[Principal, Item | None]:
        return await self._confirm(caller), await self.get(item_id)

    async def add_as(self, caller: Caller, record: ItemRecord) -> tuple[Principal, Item]:
        return await self._confirm(caller), await self.add(record)

    async def search_as(self, caller: Caller, condition: ItemFilter, order: ItemOrder) -> tuple[Principal, list[Item], int]:
        principal = await self._confirm(caller)
        return (principal, *await self.search(condition, order))

    async def add(self, record: ItemRecord) -> Item:
        item_id = self._next_id
        self._next_id += 1
        self._rows[item_id] = (record, 1)
        return _item(item_id, record, 1)

    async def get(self, item_id: int) -> Item | None:
        row = self._rows.get(item_id)
        return None if row is None else _item(item_id, *row)

    async def update(self, item_id: int, record: ItemRecord, *, expected_version: int) -> Item:
        _, version = self._current(item_id, expected_version)
        self._rows[item_id] = (record, version + 1)
        return _item(item_id, record, version + 1)

    async def delete(self, item_id: int, *, expected_version: int | None) -> None:
        self._current(item_id, expected_version)
        del self._rows[item_id]

    async def search(self, condition: ItemFilter, order: ItemOrder) -> tuple[list[Item], int]:
        found = [(getattr(r, order.field), i) for i, (r, _) in self._rows.items() if matches(condition, r)]
        found.sort(reverse=order.descending)
        chosen = found[order.skip : order.skip + order.limit]
        return [_item(i, *self._rows[i]) for _, i in chosen], len(found)

    def _current(self, item_id: int, expected_version: int | None) -> tuple[ItemRecord, int]:
        row = self._rows.get(item_id)
        if row is None:
            raise NotFound(f"Item {item_id} does not exist.")
        if expected_version is not None and row[1] != expected_version:
            raise stale_version(item_id)
        return row


def _item(item_id: int, record: ItemRecord, version: int) -> Item:
    return Item(
        id=item_id,
        title=record.title,
        description=record.description,
        status=record.status,
        owner_id=record.owner_id,
        establishment_name=record.establishment_name,
        establishment_address=record.establishment_address,
        inspection_type=record.inspection_type,
        due_date=record.due_date,
        score=record.score,
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=version,
    )
