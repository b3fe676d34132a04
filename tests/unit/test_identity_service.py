"""Identity use cases on the in-memory adapters, with a clock we control."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.memory import MemoryUserRepository
from adapters.security import Argon2Hasher, Argon2Parameters, FixedClock, JwtTokenIssuer
from core.errors import AuthenticationFailed, Conflict, Forbidden, InvalidInput, NotFound
from core.identity import (
    BAD_CREDENTIALS,
    IdentityService,
    ProfileUpdate,
    Registration,
    UserAdminUpdate,
    UserCreate,
)

SECRET = "unit-test-secret-key-0123456789abcdef"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def hasher() -> Argon2Hasher:
    return Argon2Hasher()


@pytest.fixture
def service(clock: FixedClock, hasher: Argon2Hasher) -> IdentityService:
    return IdentityService(MemoryUserRepository(), hasher, JwtTokenIssuer(SECRET), clock, token_ttl=timedelta(minutes=30))


async def register(service: IdentityService, email: str = "ann@example.com", password: str = "correct horse"):
    return await service.register(Registration(email=email, password=password, full_name="Ann"))


async def admin(service: IdentityService):
    user, _ = await service.ensure_superuser("root@example.com", "root-password")
    return user


async def test_register_normalizes_the_email_and_never_makes_a_superuser(service) -> None:
    user = await register(service, email="Ann@Example.COM")
    assert user.email == "ann@example.com"
    assert user.is_active and not user.is_superuser


async def test_register_with_an_email_taken_in_any_letter_case_is_a_conflict(service) -> None:
    await register(service, email="ann@example.com")
    with pytest.raises(Conflict, match="already exists"):
        await register(service, email="ANN@example.com")


async def test_register_is_forbidden_when_open_registration_is_off(clock, hasher) -> None:
    closed = IdentityService(MemoryUserRepository(), hasher, JwtTokenIssuer(SECRET), clock, open_registration=False)
    with pytest.raises(Forbidden, match="disabled"):
        await register(closed)


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", "long enough", "email"),
        ("ann@example", "long enough", "email"),
        ("ann@example.com", "short", "password"),
        ("ann@example.com", "x" * 129, "password"),
    ],
)
async def test_register_rejects_invalid_input_naming_the_field(service, email, password, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        await service.register(Registration(email=email, password=password))
    assert caught.value.errors[0].field == field


async def test_authenticate_accepts_the_right_password_in_any_email_case(service) -> None:
    user = await register(service)
    assert (await service.authenticate("ANN@example.com", "correct horse")).id == user.id


async def test_wrong_password_and_unknown_email_fail_with_the_same_message(service) -> None:
    await register(service)
    with pytest.raises(AuthenticationFailed) as wrong:
        await service.authenticate("ann@example.com", "wrong horse")
    with pytest.raises(AuthenticationFailed) as unknown:
        await service.authenticate("nobody@example.com", "correct horse")
    assert wrong.value.message == unknown.value.message == BAD_CREDENTIALS


async def test_inactive_user_cannot_log_in(service) -> None:
    root = await admin(service)
    user = await register(service)
    await service.update_user(root, user.id, UserAdminUpdate(is_active=False))
    with pytest.raises(Forbidden, match="deactivated"):
        await service.login("ann@example.com", "correct horse")


async def test_login_token_resolves_to_its_user(service) -> None:
    user = await register(service)
    token = await service.login("ann@example.com", "correct horse")
    assert token.token_type == "bearer" and token.expires_in == 1800
    assert (await service.user_for_token(token.access_token)).id == user.id


async def test_token_expires_after_its_lifetime(service, clock) -> None:
    await register(service)
    token = await service.login("ann@example.com", "correct horse")
    clock.advance(timedelta(minutes=31))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(token.access_token)


async def test_password_change_requires_the_current_password(service) -> None:
    user = await register(service)
    with pytest.raises(Forbidden, match="current_password"):
        await service.update_profile(user, ProfileUpdate(password="new password"))
    with pytest.raises(Forbidden, match="current password"):
        await service.update_profile(user, ProfileUpdate(password="new password", current_password="wrong"))


async def test_password_change_kills_old_tokens_and_the_new_password_works(service) -> None:
    user = await register(service)
    old = await service.login("ann@example.com", "correct horse")
    await service.update_profile(user, ProfileUpdate(password="new password", current_password="correct horse"))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(old.access_token)
    with pytest.raises(AuthenticationFailed):
        await service.authenticate("ann@example.com", "correct horse")
    fresh = await service.login("ann@example.com", "new password")
    assert (await service.user_for_token(fresh.access_token)).id == user.id


async def test_deactivation_kills_tokens_and_they_stay_dead_after_reactivation(service) -> None:
    root = await admin(service)
    user = await register(service)
    token = await service.login("ann@example.com", "correct horse")
    await service.update_user(root, user.id, UserAdminUpdate(is_active=False))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(token.access_token)
    await service.update_user(root, user.id, UserAdminUpdate(is_active=True))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(token.access_token)


async def test_profile_update_changes_name_and_email(service, clock) -> None:
    user = await register(service)
    clock.advance(timedelta(seconds=5))
    updated = await service.update_profile(user, ProfileUpdate(full_name="  Ann   Smith ", email="Ann.Smith@Example.com"))
    assert updated.full_name == "Ann Smith" and updated.email == "ann.smith@example.com"
    assert updated.updated_at == clock.now() and updated.created_at == user.created_at


async def test_profile_update_to_someone_elses_email_is_a_conflict(service) -> None:
    user = await register(service)
    await register(service, email="bob@example.com")
    with pytest.raises(Conflict):
        await service.update_profile(user, ProfileUpdate(email="BOB@example.com"))


async def test_non_superuser_cannot_use_admin_use_cases(service) -> None:
    user = await register(service)
    with pytest.raises(Forbidden):
        await service.list_users(user)
    with pytest.raises(Forbidden):
        await service.create_user(user, UserCreate(email="x@example.com", password="password1"))
    with pytest.raises(Forbidden):
        await service.update_user(user, user.id, UserAdminUpdate(is_superuser=True))


async def test_user_reads_self_but_not_others(service) -> None:
    user = await register(service)
    other = await register(service, email="bob@example.com")
    assert (await service.get_user(user, user.id)).id == user.id
    with pytest.raises(Forbidden):
        await service.get_user(user, other.id)


async def test_superuser_reads_anyone_and_unknown_ids_are_not_found(service) -> None:
    root = await admin(service)
    user = await register(service)
    assert (await service.get_user(root, user.id)).email == user.email
    with pytest.raises(NotFound):
        await service.get_user(root, 10_000)
    with pytest.raises(NotFound):
        await service.get_user(root, 2**70)


async def test_superuser_grants_and_revokes_superuser(service) -> None:
    root = await admin(service)
    user = await register(service)
    granted = await service.update_user(root, user.id, UserAdminUpdate(is_superuser=True))
    assert granted.is_superuser
    revoked = await service.update_user(root, user.id, UserAdminUpdate(is_superuser=False))
    assert not revoked.is_superuser


async def test_superuser_cannot_demote_or_deactivate_themselves(service) -> None:
    root = await admin(service)
    with pytest.raises(Forbidden):
        await service.update_user(root, root.id, UserAdminUpdate(is_superuser=False))
    with pytest.raises(Forbidden):
        await service.update_user(root, root.id, UserAdminUpdate(is_active=False))


async def test_superuser_sets_a_password_and_old_tokens_die(service) -> None:
    root = await admin(service)
    user = await register(service)
    token = await service.login("ann@example.com", "correct horse")
    await service.update_user(root, user.id, UserAdminUpdate(password="reset password"))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(token.access_token)
    await service.login("ann@example.com", "reset password")


async def test_list_users_pages_and_checks_bounds(service) -> None:
    root = await admin(service)
    for i in range(3):
        await register(service, email=f"u{i}@example.com")
    page = await service.list_users(root, skip=1, limit=2)
    assert page.total == 4 and [u.email for u in page.items] == ["u0@example.com", "u1@example.com"]
    assert (page.skip, page.limit) == (1, 2)
    with pytest.raises(InvalidInput):
        await service.list_users(root, limit=0)
    with pytest.raises(InvalidInput):
        await service.list_users(root, limit=1001)
    with pytest.raises(InvalidInput):
        await service.list_users(root, skip=-1)


async def test_ensure_superuser_is_idempotent_and_never_resets_the_password(service) -> None:
    first, created = await service.ensure_superuser("root@example.com", "root-password")
    again, created_again = await service.ensure_superuser("ROOT@example.com", "other-password")
    assert created and not created_again and first.id == again.id and again.is_superuser
    await service.login("root@example.com", "root-password")


async def test_login_rehashes_a_password_made_with_weaker_parameters(clock) -> None:
    users = MemoryUserRepository()
    old = Argon2Hasher(Argon2Parameters(time_cost=2, memory_cost=19_456))
    new = Argon2Hasher(Argon2Parameters(time_cost=3, memory_cost=19_456))
    tokens = JwtTokenIssuer(SECRET)
    await IdentityService(users, old, tokens, clock).register(Registration(email="ann@example.com", password="password1"))
    before = (await users.get_credentials("ann@example.com")).password_hash
    assert new.needs_rehash(before)
    await IdentityService(users, new, tokens, clock).login("ann@example.com", "password1")
    after = (await users.get_credentials("ann@example.com")).password_hash
    assert after != before and "t=3" in after and not new.needs_rehash(after)


async def test_token_issued_in_the_future_is_rejected(service, clock) -> None:
    await register(service)
    clock.advance(timedelta(hours=2))
    token = await service.login("ann@example.com", "correct horse")
    clock.advance(timedelta(hours=-2))
    with pytest.raises(AuthenticationFailed):
        await service.user_for_token(token.access_token)
