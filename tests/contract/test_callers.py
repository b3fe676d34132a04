"""Callers confirmed in the same round trip as the work: one suite for every adapter.

A ``Caller`` comes straight from a token. Storage must confirm it against the
stored user (``Caller.confirmed_by``) in the statement that does the work, answer
with the caller's *current* role, and refuse (changing nothing) when the account
no longer backs the token.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.security import FixedClock
from core.errors import AuthenticationFailed, Forbidden, NotFound
from core.identity import Caller, NewUserRecord, Principal, UserChanges
from core.inspections import (
    InspectionService,
    ItemCreate,
    ItemFilter,
    ItemOrder,
    ItemQuery,
    ItemRecord,
    ItemStatus,
    ItemUpdate,
)

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ANN = Caller(user_id=1, token_version=0)
ROOT = Caller(user_id=2, token_version=0, superuser_hint=True)


@pytest.fixture
async def service(item_repository, user_repository) -> InspectionService:
    for n in (1, 2):
        await user_repository.add(
            NewUserRecord(email=f"u{n}@example.gov", full_name="", password_hash="x", is_active=True,
                          is_superuser=n == 2, created_at=T0)
        )  # fmt: skip
    return InspectionService(item_repository, FixedClock(T0))


def record(owner_id: int, title: str = "Kitchen") -> ItemRecord:
    return ItemRecord(
        title=title, description="", status=ItemStatus.PENDING, owner_id=owner_id, establishment_name=None,
        establishment_address=None, inspection_type=None, due_date=None, score=None, search_text=title.lower(),
        created_at=T0, updated_at=T0,
    )  # fmt: skip


ORDER = ItemOrder(field="created_at", descending=False, skip=0, limit=10)
MINE = ItemFilter(owner_id=1)

#: Accounts that no longer back ANN's token, and how they got that way.
REVOKED = {
    "password changed": UserChanges(updated_at=T0, token_version=1),
    "deactivated": UserChanges(updated_at=T0, is_active=False),
}


async def test_a_backed_caller_gets_the_work_and_their_stored_role(service, item_repository) -> None:
    principal, item = await item_repository.add_as(ANN, record(1))
    assert principal == Principal(user_id=1, is_superuser=False)
    assert item.owner_id == 1 and item.version == 1
    assert await item_repository.get_as(ANN, item.id) == (principal, item)
    assert await item_repository.get_as(ANN, item.id + 1000) == (principal, None)
    assert await item_repository.search_as(ANN, MINE, ORDER) == (principal, [item], 1)
    assert await item_repository.get_as(ROOT, item.id) == (Principal(user_id=2, is_superuser=True), item)


async def test_an_empty_page_still_confirms_and_counts(service, item_repository) -> None:
    await item_repository.add_as(ANN, record(1))
    past_the_end = ItemOrder(field="created_at", descending=True, skip=5, limit=10)
    assert await item_repository.search_as(ANN, MINE, past_the_end) == (Principal(1, False), [], 1)
    assert await item_repository.search(MINE, past_the_end) == ([], 1)
    assert await item_repository.search_as(ANN, ItemFilter(owner_id=99), ORDER) == (Principal(1, False), [], 0)


@pytest.mark.parametrize("how", REVOKED)
async def test_a_revoked_caller_is_refused_and_nothing_is_written(service, item_repository, user_repository, how) -> None:
    _, item = await item_repository.add_as(ANN, record(1, "Before"))
    await user_repository.update(1, REVOKED[how])
    for attempt in (
        item_repository.get_as(ANN, item.id),
        item_repository.add_as(ANN, record(1, "After")),
        item_repository.search_as(ANN, MINE, ORDER),
    ):
        with pytest.raises(AuthenticationFailed):
            await attempt
    assert [i.title for i in (await item_repository.search(MINE, ORDER))[0]] == ["Before"]


async def test_an_unknown_account_is_refused(service, item_repository) -> None:
    ghost = Caller(user_id=424242, token_version=0)
    with pytest.raises(AuthenticationFailed):
        await item_repository.get_as(ghost, 1)
    with pytest.raises(AuthenticationFailed):
        await item_repository.add_as(ghost, record(1))
    assert (await item_repository.search(ItemFilter(), ORDER))[1] == 0


async def test_the_service_answers_401_before_404_for_a_revoked_caller(service, user_repository) -> None:
    item = await service.create(ANN, ItemCreate(title="Mine"))
    await user_repository.update(1, REVOKED["deactivated"])
    for attempt in (
        service.get(ANN, item.id),
        service.get(ANN, 424242),
        service.get(ANN, 2**70),
        service.update(ANN, item.id, ItemUpdate(status=ItemStatus.IN_PROGRESS)),
        service.delete(ANN, item.id),
        service.search(ANN, ItemQuery()),
        service.search(ANN, ItemQuery(owner_id=2)),
    ):
        with pytest.raises(AuthenticationFailed):
            await attempt


async def test_callers_see_and_change_what_principals_do(service) -> None:
    mine = await service.create(ANN, ItemCreate(title="Mine"))
    theirs = await service.create(ROOT, ItemCreate(title="Root's"))
    assert await service.get(ANN, mine.id) == mine
    with pytest.raises(NotFound):
        await service.get(ANN, theirs.id)
    moved = await service.update(ANN, mine.id, ItemUpdate(status=ItemStatus.IN_PROGRESS), expected_version=1)
    assert moved.status == ItemStatus.IN_PROGRESS and moved.version == 2
    assert [i.title for i in (await service.search(ANN, ItemQuery())).items] == ["Mine"]
    assert {i.title for i in (await service.search(ROOT, ItemQuery())).items} == {"Mine", "Root's"}
    with pytest.raises(Forbidden):
        await service.search(ANN, ItemQuery(owner_id=2))
    await service.delete(ANN, mine.id, expected_version=2)
    with pytest.raises(NotFound):
        await service.get(ROOT, mine.id)


async def test_the_stored_role_wins_over_the_role_in_the_token(service, user_repository) -> None:
    """Granted or revoked after the token was issued: the answer follows the account."""
    await service.create(ANN, ItemCreate(title="Ann's"))
    await service.create(ROOT, ItemCreate(title="Root's"))
    await user_repository.update(1, UserChanges(updated_at=T0, is_superuser=True))
    await user_repository.update(2, UserChanges(updated_at=T0, is_superuser=False))
    # ANN's token says "not a superuser" but the account now is one; ROOT's the other way round.
    assert {i.title for i in (await service.search(ANN, ItemQuery())).items} == {"Ann's", "Root's"}
    assert (await service.search(ANN, ItemQuery(owner_id=2))).total == 1
    assert [i.title for i in (await service.search(ROOT, ItemQuery())).items] == ["Root's"]
    with pytest.raises(Forbidden):
        await service.search(ROOT, ItemQuery(owner_id=1))
    mine = (await service.search(ANN, ItemQuery(owner_id=1))).items[0]
    with pytest.raises(NotFound):
        await service.get(ROOT, mine.id)


async def test_items_created_by_a_caller_keep_every_field(service, item_repository) -> None:
    clock_later = T0 + timedelta(hours=1)
    full = ItemRecord(
        title="Full", description="Line one\nline two", status=ItemStatus.PENDING, owner_id=1,
        establishment_name="Café", establishment_address="1 Main St", inspection_type=None,
        due_date=clock_later.date(), score=90, search_text="full\nline one\nline two",
        created_at=clock_later, updated_at=clock_later,
    )  # fmt: skip
    _, item = await item_repository.add_as(ANN, full)
    assert (item.title, item.description, item.establishment_name, item.establishment_address) == (
        "Full", "Line one\nline two", "Café", "1 Main St",
    )  # fmt: skip
    assert (item.due_date, item.score, item.created_at, item.updated_at) == (clock_later.date(), 90, clock_later, clock_later)
    assert await item_repository.get(item.id) == item
