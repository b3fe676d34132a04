"""Users, login and profiles under /api/v1/users. Handlers decode, call the core, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody

from adapters.http.auth import AUTHED, client_of
from adapters.http.metrics import LOGINS
from adapters.http.protection import Limiter
from adapters.http.errors import error_responses
from adapters.http.params import query
from core.common import Id, Page, Skip
from core.errors import AuthenticationFailed, Forbidden, InvalidInput
from core.identity import (
    USERS_DEFAULT_LIMIT,
    AccessToken,
    IdentityService,
    ProfileUpdate,
    Registration,
    User,
    UserAdminUpdate,
    UserCreate,
    UsersLimit,
    normalize_email,
)


class UserRead(msgspec.Struct, frozen=True, kw_only=True):
    """A user as the API shows them. Never includes the password hash."""

    id: int
    email: str
    full_name: str
    is_active: bool
    is_superuser: bool
    created_at: datetime
    updated_at: datetime


def user_out(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        is_active=user.is_active,
        is_superuser=user.is_superuser,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


class LoginForm(msgspec.Struct, kw_only=True):
    """OAuth2 password grant (RFC 6749 4.3.2): ``username`` is the email."""

    username: str
    password: str
    grant_type: str | None = None
    scope: str = ""
    client_id: str | None = None
    client_secret: str | None = None




class UsersController(Controller):
    path = "/api/v1/users"
    tags = ["users"]

    @post(
        "/login/access-token",
        summary="Log in (OAuth2 password grant)",
        status_code=200,
        responses=error_responses(401, 403, 422, 429),
    )
    async def login(
        self,
        request: Request,
        identity: NamedDependency[IdentityService],
        limiter: NamedDependency[Limiter],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[AccessToken]:
        if data.grant_type not in (None, "", "password"):
            raise InvalidInput.for_field("grant_type", "must be 'password'")
        account = normalize_email(data.username)
        await limiter.login_attempt(client_of(request), account)
        try:
            token = await identity.login(data.username, data.password)
        except (AuthenticationFailed, Forbidden):
            LOGINS.labels("failure").inc()
            await limiter.login_failed(account)
            raise
        LOGINS.labels("success").inc()
        await limiter.login_succeeded(account)
        return Response(token, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    @post("/open", summary="Register (open self-registration)", responses=error_responses(403, 409, 422, 429))
    async def register(
        self,
        request: Request,
        identity: NamedDependency[IdentityService],
        limiter: NamedDependency[Limiter],
        data: JSONBody[Registration],
    ) -> UserRead:
        await limiter.registration(client_of(request))
        return user_out(await identity.register(data))

    @get("/me", summary="Read own profile", responses=error_responses(401), **AUTHED)
    async def read_me(self, current_user: NamedDependency[User]) -> UserRead:
        return user_out(current_user)

    @put("/me", summary="Update own profile", responses=error_responses(401, 403, 409, 422), **AUTHED)
    async def update_me(self, identity: NamedDependency[IdentityService], current_user: NamedDependency[User], data: JSONBody[ProfileUpdate]) -> UserRead:
        return user_out(await identity.update_profile(current_user, data))

    @get("/", summary="List users (superuser)", responses=error_responses(401, 403, 422), **AUTHED)
    async def list_users(
        self,
        identity: NamedDependency[IdentityService],
        current_user: NamedDependency[User],
        skip: query(Skip) = 0,
        limit: query(UsersLimit) = USERS_DEFAULT_LIMIT,
    ) -> Page[UserRead]:
        page = await identity.list_users(current_user, skip=skip, limit=limit)
        return Page(items=[user_out(u) for u in page.items], total=page.total, skip=page.skip, limit=page.limit)

    @post("/", summary="Create a user (superuser)", responses=error_responses(401, 403, 409, 422), **AUTHED)
    async def create_user(self, identity: NamedDependency[IdentityService], current_user: NamedDependency[User], data: JSONBody[UserCreate]) -> UserRead:
        return user_out(await identity.create_user(current_user, data))

    @get("/{user_id:int}", summary="Read a user (self or superuser)", responses=error_responses(401, 403, 404), **AUTHED)
    async def read_user(self, identity: NamedDependency[IdentityService], current_user: NamedDependency[User], user_id: Id) -> UserRead:
        return user_out(await identity.get_user(current_user, user_id))

    @put(
        "/{user_id:int}",
        summary="Update a user (superuser)",
        responses=error_responses(401, 403, 404, 409, 422),
        **AUTHED,
    )
    async def update_user(
        self, identity: NamedDependency[IdentityService], current_user: NamedDependency[User], user_id: Id, data: JSONBody[UserAdminUpdate]
    ) -> UserRead:
        return user_out(await identity.update_user(current_user, user_id, data))
