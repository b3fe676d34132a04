"""One behaviour suite for every UserRepository adapter: memory, SQLite, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict, NotFound
from core.identity import NewUserRecord, UserChanges

T0 = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def record(email: str, **overrides: object) -> NewUserRecord:
    values = {
        "email": email,
        "full_name": "Inspector " + email.split("@")[0],
        "password_hash": "$argon2id$fake-hash-for-" + email,
        "is_active": True,
        "is_superuser": False,
        "created_at": T0,
        **overrides,
    }
    return NewUserRecord(**values)  # type: ignore[arg-type]


async def test_add_assigns_an_id_and_keeps_every_field(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com", is_superuser=True))
    assert user.id >= 1
    assert (user.email, user.full_name, user.is_active, user.is_superuser) == (
        "ann@example.com",
        "Inspector ann",
        True,
        True,
    )
    assert user.created_at == T0 and user.updated_at == T0
    assert user.token_version == 0
    assert await user_repository.get(user.id) == user


async def test_ids_are_distinct_and_increasing(user_repository) -> None:
    first = await user_repository.add(record("a@example.com"))
    second = await user_repository.add(record("b@example.com"))
    assert second.id > first.id


async def test_add_with_a_taken_email_is_a_conflict_naming_the_email(user_repository) -> None:
    await user_repository.add(record("ann@example.com"))
    with pytest.raises(Conflict, match="ann@example.com"):
        await user_repository.add(record("ann@example.com"))
    users, total = await user_repository.list(skip=0, limit=10)
    assert total == 1 and len(users) == 1


async def test_get_unknown_id_is_none(user_repository) -> None:
    assert await user_repository.get(424242) is None


async def test_get_by_email_finds_the_user_or_none(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com"))
    assert await user_repository.get_by_email("ann@example.com") == user
    assert await user_repository.get_by_email("bob@example.com") is None


async def test_credentials_carry_the_stored_hash(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com"))
    credentials = await user_repository.get_credentials("ann@example.com")
    assert credentials is not None
    assert credentials.user == user
    assert credentials.password_hash == "$argon2id$fake-hash-for-ann@example.com"
    assert await user_repository.get_credentials("nobody@example.com") is None


async def test_list_pages_in_id_order_with_the_total(user_repository) -> None:
    created = [await user_repository.add(record(f"u{i}@example.com")) for i in range(5)]
    page, total = await user_repository.list(skip=1, limit=2)
    assert total == 5
    assert [u.id for u in page] == [created[1].id, created[2].id]
    tail, total = await user_repository.list(skip=4, limit=10)
    assert [u.id for u in tail] == [created[4].id] and total == 5
    beyond, total = await user_repository.list(skip=10, limit=10)
    assert beyond == [] and total == 5


async def test_update_changes_only_the_given_fields(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com"))
    later = T0 + timedelta(minutes=5)
    updated = await user_repository.update(
        user.id, UserChanges(updated_at=later, full_name="Ann Smith", is_superuser=True, token_version=3)
    )
    assert updated.full_name == "Ann Smith" and updated.is_superuser and updated.token_version == 3
    assert updated.email == user.email and updated.is_active and updated.created_at == T0
    assert updated.updated_at == later
    assert await user_repository.get(user.id) == updated


async def test_update_of_the_password_hash_shows_in_credentials_only(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com"))
    await user_repository.update(user.id, UserChanges(updated_at=T0, password_hash="$argon2id$new"))
    credentials = await user_repository.get_credentials("ann@example.com")
    assert credentials is not None and credentials.password_hash == "$argon2id$new"


async def test_update_email_moves_the_lookup(user_repository) -> None:
    user = await user_repository.add(record("ann@example.com"))
    await user_repository.update(user.id, UserChanges(updated_at=T0, email="ann@new.example.com"))
    assert await user_repository.get_by_email("ann@example.com") is None
    moved = await user_repository.get_by_email("ann@new.example.com")
    assert moved is not None and moved.id == user.id


async def test_update_to_a_taken_email_is_a_conflict_and_changes_nothing(user_repository) -> None:
    await user_repository.add(record("ann@example.com"))
    bob = await user_repository.add(record("bob@example.com"))
    with pytest.raises(Conflict, match="ann@example.com"):
        await user_repository.update(bob.id, UserChanges(updated_at=T0, email="ann@example.com", full_name="X"))
    assert await user_repository.get(bob.id) == bob


async def test_update_unknown_id_is_not_found(user_repository) -> None:
    with pytest.raises(NotFound):
        await user_repository.update(999, UserChanges(updated_at=T0, full_name="x"))
