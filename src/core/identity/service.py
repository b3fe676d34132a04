"""Identity use cases: sign-up, login, tokens, profiles and user administration."""

from __future__ import annotations

import secrets
from datetime import timedelta

from msgspec import UNSET

from core.common import Clock, Page, check_page, is_valid_id, validated
from core.errors import AuthenticationFailed, Conflict, Forbidden, NotFound
from core.identity.model import (
    USERS_DEFAULT_LIMIT,
    USERS_MAX_LIMIT,
    AccessToken,
    Caller,
    NewUserRecord,
    ProfileUpdate,
    Registration,
    TokenClaims,
    User,
    UserAdminUpdate,
    UserChanges,
    UserCreate,
    normalize_email,
    normalize_full_name,
)
from core.identity.ports import PasswordHasher, TokenIssuer, UserRepository

#: The same words for an unknown email and a wrong password, so a caller
#: cannot learn which addresses have accounts.
BAD_CREDENTIALS = "Incorrect email or password."
#: How far in the future a token's ``iat`` may be (clock drift between instances).
CLOCK_SKEW_SECONDS = 60
BAD_TOKEN = "Could not validate credentials: the token is invalid or has expired; log in again."


class IdentityService:
    """Everything about who a caller is and what accounts exist."""

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        clock: Clock,
        *,
        token_ttl: timedelta = timedelta(minutes=60),
        open_registration: bool = True,
    ) -> None:
        if token_ttl <= timedelta(0):
            raise ValueError("token_ttl must be positive")
        self._users = users
        self._hasher = hasher
        self._tokens = tokens
        self._clock = clock
        self._token_ttl = token_ttl
        self._open_registration = open_registration
        self._decoy_hash: str | None = None

    # -- sign-up and login -------------------------------------------------

    async def register(self, data: Registration) -> User:
        """Open self-registration; refused with ``Forbidden`` when switched off."""
        if not self._open_registration:
            raise Forbidden("Open user registration is disabled on this server; ask an administrator for an account.")
        data = validated(data)
        return await self._create(data.email, data.password, data.full_name, is_active=True, is_superuser=False)

    async def authenticate(self, email: str, password: str) -> User:
        """The user whose email and password these are.

        An unknown email costs one full password verification, like a wrong
        password, and both answer with the same message.
        """
        if len(password) > 1024:
            raise AuthenticationFailed(BAD_CREDENTIALS)
        credentials = await self._users.get_credentials(normalize_email(email))
        if credentials is None:
            await self._hasher.verify(await self._decoy(), password)
            raise AuthenticationFailed(BAD_CREDENTIALS)
        if not await self._hasher.verify(credentials.password_hash, password):
            raise AuthenticationFailed(BAD_CREDENTIALS)
        user = credentials.user
        if not user.is_active:
            raise Forbidden("This account is deactivated; ask an administrator to reactivate it.")
        if self._hasher.needs_rehash(credentials.password_hash):
            # Parameters were raised since this hash was made: upgrade it now,
            # while we hold the clear password. Tokens stay valid.
            user = await self._users.update(
                user.id, UserChanges(updated_at=self._clock.now(), password_hash=await self._hasher.hash(password))
            )
        return user

    async def login(self, email: str, password: str) -> AccessToken:
        """Check the credentials and issue an access token (OAuth2 password grant)."""
        return self.issue_token(await self.authenticate(email, password))

    def issue_token(self, user: User) -> AccessToken:
        now = int(self._clock.now().timestamp())
        ttl = int(self._token_ttl.total_seconds())
        claims = TokenClaims(sub=str(user.id), ver=user.token_version, iat=now, exp=now + ttl, su=user.is_superuser)
        return AccessToken(access_token=self._tokens.issue(claims), expires_in=ttl)

    async def user_for_token(self, token: str) -> User:
        """The active user a bearer token speaks for, or ``AuthenticationFailed``.

        A token dies when its user is deactivated or changes password, even
        before it expires, because it carries the ``token_version`` it was
        issued with.
        """
        caller = self.caller_for_token(token)
        user = await self._users.get(caller.user_id)
        if caller.confirmed_by(user) is None:
            raise AuthenticationFailed(BAD_TOKEN)
        assert user is not None
        return user

    def caller_for_token(self, token: str) -> Caller:
        """Whom a bearer token names, checked without storage: signature, claims,
        lifetime. Not yet proof that the account still backs it: pass the
        ``Caller`` to a use case that confirms it in the same round trip as its
        work (items, analyses), or use ``user_for_token``."""
        claims = self._tokens.decode(token)
        now = int(self._clock.now().timestamp())
        if claims.exp <= now or claims.iat > now + CLOCK_SKEW_SECONDS:
            raise AuthenticationFailed(BAD_TOKEN)
        try:
            user_id = int(claims.sub)
        except ValueError:
            raise AuthenticationFailed(BAD_TOKEN) from None
        if not is_valid_id(user_id):
            raise AuthenticationFailed(BAD_TOKEN)
        return Caller(user_id=user_id, token_version=claims.ver, superuser_hint=claims.su)

    # -- own profile ---------------------------------------------------------

    async def update_profile(self, actor: User, data: ProfileUpdate) -> User:
        """Change one's own email, name or password.

        A new password needs the current one. Self-service cannot touch
        ``is_active`` or ``is_superuser``: those fields do not exist here.
        """
        data = validated(data)
        changes: dict[str, object] = {}
        if data.email is not UNSET:
            changes["email"] = normalize_email(data.email)
        if data.full_name is not UNSET:
            changes["full_name"] = normalize_full_name(data.full_name)
        if data.password is not UNSET:
            if data.current_password is UNSET:
                raise Forbidden("Changing the password needs current_password, the password in use now.")
            credentials = await self._users.get_credentials(actor.email)
            if credentials is None or not await self._hasher.verify(credentials.password_hash, data.current_password):
                raise Forbidden("The current password is incorrect.")
            changes["password_hash"] = await self._hasher.hash(data.password)
            changes["token_version"] = actor.token_version + 1
        return await self._apply(actor.id, changes)

    # -- administration (superusers only) ------------------------------------

    async def create_user(self, actor: User, data: UserCreate) -> User:
        _require_superuser(actor)
        data = validated(data)
        return await self._create(
            data.email, data.password, data.full_name, is_active=data.is_active, is_superuser=data.is_superuser
        )

    async def list_users(self, actor: User, *, skip: int = 0, limit: int = USERS_DEFAULT_LIMIT) -> Page[User]:
        _require_superuser(actor)
        check_page(skip, limit, USERS_MAX_LIMIT)
        users, total = await self._users.list(skip=skip, limit=limit)
        return Page(items=users, total=total, skip=skip, limit=limit)

    async def get_user(self, actor: User, user_id: int) -> User:
        """A user's account: one's own, or anyone's for a superuser."""
        if actor.id != user_id and not actor.is_superuser:
            raise Forbidden("You may only read your own account; this needs a superuser.")
        user = await self._users.get(user_id) if is_valid_id(user_id) else None
        if user is None:
            raise NotFound(f"User {user_id} does not exist.")
        return user

    async def update_user(self, actor: User, user_id: int, data: UserAdminUpdate) -> User:
        """Change any account: details, password, activation, superuser status.

        Superusers cannot deactivate or demote themselves, so the last
        administrator cannot lock everyone out by accident.
        """
        _require_superuser(actor)
        data = validated(data)
        target = await self.get_user(actor, user_id)
        if target.id == actor.id and (data.is_active is False or data.is_superuser is False):
            raise Forbidden("You cannot deactivate yourself or revoke your own superuser status; ask another superuser.")
        changes: dict[str, object] = {}
        if data.email is not UNSET:
            changes["email"] = normalize_email(data.email)
        if data.full_name is not UNSET:
            changes["full_name"] = normalize_full_name(data.full_name)
        if data.is_superuser is not UNSET:
            changes["is_superuser"] = data.is_superuser
        if data.is_active is not UNSET:
            changes["is_active"] = data.is_active
        revoke_tokens = data.is_active is False and target.is_active
        if data.password is not UNSET:
            changes["password_hash"] = await self._hasher.hash(data.password)
            revoke_tokens = True
        if revoke_tokens:
            changes["token_version"] = target.token_version + 1
        return await self._apply(target.id, changes)

    async def ensure_superuser(self, email: str, password: str, full_name: str = "") -> tuple[User, bool]:
        """Make sure a superuser with this email exists; ``(user, created)``.

        Idempotent: an existing account is left exactly as it is (its password
        is not reset), so restarting with the same settings changes nothing.
        """
        data = validated(UserCreate(email=email, password=password, full_name=full_name, is_superuser=True))
        existing = await self._users.get_by_email(normalize_email(data.email))
        if existing is not None:
            return existing, False
        try:
            return await self._create(data.email, data.password, data.full_name, is_active=True, is_superuser=True), True
        except Conflict:
            # Another process created it between our read and our insert.
            existing = await self._users.get_by_email(normalize_email(data.email))
            if existing is None:
                raise
            return existing, False

    # -- helpers ---------------------------------------------------------------

    async def _create(self, email: str, password: str, full_name: str, *, is_active: bool, is_superuser: bool) -> User:
        email = normalize_email(email)
        if await self._users.get_by_email(email) is not None:
            raise _email_taken(email)
        record = NewUserRecord(
            email=email,
            full_name=normalize_full_name(full_name),
            password_hash=await self._hasher.hash(password),
            is_active=is_active,
            is_superuser=is_superuser,
            created_at=self._clock.now(),
        )
        return await self._users.add(record)

    async def _apply(self, user_id: int, changes: dict[str, object]) -> User:
        if "email" in changes:
            holder = await self._users.get_by_email(changes["email"])  # type: ignore[arg-type]
            if holder is not None and holder.id != user_id:
                raise _email_taken(changes["email"])  # type: ignore[arg-type]
        return await self._users.update(user_id, UserChanges(updated_at=self._clock.now(), **changes))  # type: ignore[arg-type]

    async def _decoy(self) -> str:
        if self._decoy_hash is None:
            self._decoy_hash = await self._hasher.hash(secrets.token_urlsafe(16))
        return self._decoy_hash


def _require_superuser(actor: User) -> None:
    if not actor.is_superuser:
        raise Forbidden("This needs a superuser.")


def email_taken_message(email: str) -> str:
    return f"A user with email {email} already exists."


def _email_taken(email: str) -> Conflict:
    return Conflict(email_taken_message(email))
