"""One behaviour suite for every ItemRepository adapter, through the InspectionService."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.security import FixedClock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from core.identity import NewUserRecord, Principal
from core.inspections import InspectionService, InspectionType, ItemCreate, ItemQuery, ItemStatus, ItemUpdate

ANN = Principal(user_id=1, is_superuser=False)
BOB = Principal(user_id=2, is_superuser=False)
ROOT = Principal(user_id=3, is_superuser=True)
T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
async def service(item_repository, user_repository, clock) -> InspectionService:
    for n in (1, 2, 3):
        await user_repository.add(
            NewUserRecord(email=f"u{n}@example.gov", full_name="", password_hash="x", is_active=True,
                          is_superuser=n == 3, created_at=T0)
        )  # fmt: skip
    return InspectionService(item_repository, clock)


async def make(service, clock, actor=ANN, title="Inspect kitchen", **fields):
    clock.advance(timedelta(minutes=1))
    return await service.create(actor, ItemCreate(title=title, **fields))


async def titles(service, actor=ANN, **query) -> list[str]:
    return [i.title for i in (await service.search(actor, ItemQuery(**query))).items]


async def test_create_belongs_to_the_caller_and_starts_pending(service, clock) -> None:
    item = await make(
        service, clock, title="  Routine   check ", description=" Cold room ", establishment_name="Café Rouge",
        inspection_type=InspectionType.ROUTINE, due_date=date(2026, 5, 1), score=88,
    )  # fmt: skip
    assert (item.title, item.description, item.status, item.owner_id, item.version) == (
        "Routine check", "Cold room", ItemStatus.PENDING, ANN.user_id, 1,
    )  # fmt: skip
    assert (item.establishment_name, item.inspection_type, item.due_date, item.score) == (
        "Café Rouge", InspectionType.ROUTINE, date(2026, 5, 1), 88,
    )  # fmt: skip
    assert item.created_at == item.updated_at == clock.now()
    assert await service.get(ANN, item.id) == item


async def test_a_new_item_cannot_start_in_another_status(service) -> None:
    with pytest.raises(InvalidInput) as caught:
        await service.create(ANN, ItemCreate(title="x", status=ItemStatus.COMPLETED))
    assert caught.value.errors[0].field == "status"


@pytest.mark.parametrize(("field", "value"), [("title", "   "), ("title", "x" * 101), ("description", "x" * 1001), ("score", 101)])
async def test_invalid_items_are_refused(service, field, value) -> None:
    with pytest.raises(InvalidInput):
        await service.create(ANN, ItemCreate(**{"title": "ok", field: value}))


async def test_someone_elses_item_is_not_found_for_every_operation(service, clock) -> None:
    item = await make(service, clock, actor=BOB)
    with pytest.raises(NotFound) as read:
        await service.get(ANN, item.id)
    with pytest.raises(NotFound) as missing:
        await service.get(ANN, 999_999)
    assert read.value.message.replace(str(item.id), "N") == missing.value.message.replace("999999", "N")
    with pytest.raises(NotFound):
        await service.update(ANN, item.id, ItemUpdate(title="mine"))
    with pytest.raises(NotFound):
        await service.delete(ANN, item.id)
    assert (await service.get(BOB, item.id)).title == "Inspect kitchen"


async def test_superusers_see_and_change_everything(service, clock) -> None:
    item = await make(service, clock, actor=BOB)
    assert (await service.get(ROOT, item.id)).owner_id == BOB.user_id
    updated = await service.update(ROOT, item.id, ItemUpdate(title="Reviewed"))
    assert updated.title == "Reviewed" and updated.owner_id == BOB.user_id
    await service.delete(ROOT, item.id)


@pytest.mark.parametrize(
    ("path", "superuser", "ok"),
    [
        (["in_progress", "completed"], False, True),
        (["cancelled"], False, True),
        (["in_progress", "cancelled"], False, True),
        (["completed"], False, False),
        (["in_progress", "pending"], False, False),
        (["in_progress", "completed", "in_progress"], False, False),
        (["in_progress", "completed", "in_progress"], True, True),
        (["cancelled", "in_progress"], True, True),
        (["cancelled", "completed"], True, False),
        (["in_progress", "in_progress"], False, True),
    ],
)
async def test_status_workflow(service, clock, path, superuser, ok) -> None:
    item = await make(service, clock)
    actor = ROOT if superuser else ANN
    try:
        for status in path:
            item = await service.update(actor, item.id, ItemUpdate(status=ItemStatus(status)))
    except Conflict as exc:
        assert not ok, exc.message
        assert "can go to" in exc.message
        return
    assert ok and item.status == ItemStatus(path[-1])


async def test_stale_versions_are_refused(service, clock) -> None:
    item = await make(service, clock)
    await service.update(ANN, item.id, ItemUpdate(description="v2"))
    with pytest.raises(PreconditionFailed):
        await service.update(ANN, item.id, ItemUpdate(status=ItemStatus.CANCELLED), expected_version=1)
    with pytest.raises(PreconditionFailed):
        await service.delete(ANN, item.id, expected_version=1)
    assert (await service.get(ANN, item.id)).status == ItemStatus.PENDING
    await service.delete(ANN, item.id, expected_version=2)


async def test_update_moves_updated_at_and_version(service, clock) -> None:
    item = await make(service, clock)
    updated = await service.update(ANN, item.id, ItemUpdate(description="now"))
    assert updated.version == 2 and updated.updated_at > item.updated_at and updated.created_at == item.created_at


async def test_lists_show_own_items_and_superusers_see_all(service, clock) -> None:
    await make(service, clock, title="Ann 1")
    await make(service, clock, actor=BOB, title="Bob 1")
    await make(service, clock, title="Ann 2")
    assert await titles(service) == ["Ann 2", "Ann 1"]
    assert await titles(service, BOB) == ["Bob 1"]
    assert await titles(service, ROOT) == ["Ann 2", "Bob 1", "Ann 1"]
    assert await titles(service, ROOT, owner_id=BOB.user_id) == ["Bob 1"]
    with pytest.raises(Forbidden):
        await service.search(ANN, ItemQuery(owner_id=BOB.user_id))


async def test_filters_sorting_and_paging(service, clock) -> None:
    first = await make(service, clock, title="Bakery Müller", description="Flour storage")
    await make(service, clock, title="Fish market", description="Ice machine and cold chain")
    third = await make(service, clock, title="Cafe", description="Coffee MACHINE descaling")
    await service.update(ANN, third.id, ItemUpdate(status=ItemStatus.IN_PROGRESS))
    clock.advance(timedelta(minutes=1))
    await service.update(ANN, first.id, ItemUpdate(status=ItemStatus.CANCELLED))
    assert await titles(service, search="machine") == ["Cafe", "Fish market"]
    assert await titles(service, search="MULLER") == ["Bakery Müller"]
    assert await titles(service, status=[ItemStatus.PENDING]) == ["Fish market"]
    assert await titles(service, status=[ItemStatus.PENDING, ItemStatus.IN_PROGRESS]) == ["Cafe", "Fish market"]
    assert await titles(service, sort="created_at") == ["Bakery Müller", "Fish market", "Cafe"]
    assert await titles(service, sort="-updated_at") == ["Bakery Müller", "Cafe", "Fish market"]
    assert await titles(service, created_after=T0 + timedelta(minutes=2)) == ["Cafe", "Fish market"]
    assert await titles(service, created_before=T0 + timedelta(minutes=2)) == ["Bakery Müller"]
    page = await service.search(ANN, ItemQuery(skip=1, limit=1, sort="created_at"))
    assert [i.title for i in page.items] == ["Fish market"] and (page.total, page.skip, page.limit) == (3, 1, 1)


async def test_an_empty_date_range_matches_nothing_and_naive_times_are_invalid(service, clock) -> None:
    await make(service, clock)
    assert await titles(service, created_after=T0 + timedelta(hours=1), created_before=T0) == []
    with pytest.raises(InvalidInput):
        await service.search(ANN, ItemQuery(created_after=datetime(2026, 1, 1)))


async def test_unknown_ids_are_not_found(service) -> None:
    for call in (service.get(ROOT, 424242), service.delete(ROOT, 424242), service.get(ROOT, 2**70)):
        with pytest.raises(NotFound):
            await call
