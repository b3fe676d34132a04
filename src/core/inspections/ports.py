"""What the inspections context needs from storage."""

from __future__ import annotations

from typing import Protocol

from core.identity.model import Caller, Principal
from core.inspections.model import Item, ItemFilter, ItemOrder, ItemRecord


class ItemRepository(Protocol):
    """Stores items. ``update`` and ``delete`` act only while the row's version is
    ``expected_version`` (any version when ``None`` for delete): otherwise
    ``PreconditionFailed``, or ``NotFound`` when there is no such row.
    ``update`` sets version to version + 1.

    The ``*_as`` methods do the same work on behalf of a ``Caller`` and confirm
    the caller in the same round trip (``Caller.confirmed_by`` against the
    stored user): they raise ``AuthenticationFailed`` (``BAD_TOKEN``) and change
    nothing when the account does not back the token, and otherwise also return
    the caller's current ``Principal``.
    """

    async def add(self, record: ItemRecord) -> Item: ...

    async def get(self, item_id: int) -> Item | None: ...

    async def update(self, item_id: int, record: ItemRecord, *, expected_version: int) -> Item: ...

    async def delete(self, item_id: int, *, expected_version: int | None) -> None: ...

    async def search(self, condition: ItemFilter, order: ItemOrder) -> tuple[list[Item], int]:
        """Matches ordered by ``order.field`` (then id) in its direction, skipped and
        limited; and the number of all matches."""
        ...

    async def get_as(self, caller: Caller, item_id: int) -> tuple[Principal, Item | None]: ...

    async def add_as(self, caller: Caller, record: ItemRecord) -> tuple[Principal, Item]: ...

    async def search_as(
        self, caller: Caller, condition: ItemFilter, order: ItemOrder
    ) -> tuple[Principal, list[Item], int]: ...
