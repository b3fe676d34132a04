"""Who is calling: the bearer token dependency and its OpenAPI security scheme."""

from __future__ import annotations

import structlog
from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OAuthFlow, OAuthFlows, SecurityScheme

from core.errors import AuthenticationFailed
from core.identity import Caller, IdentityService, User

TOKEN_URL = "/api/v1/users/login/access-token"
SCHEME_NAME = "OAuth2PasswordBearer"
#: Put on every operation that needs a logged-in caller; drives Swagger's "Authorize".
SECURITY = [{SCHEME_NAME: []}]

SECURITY_SCHEMES = {
    SCHEME_NAME: SecurityScheme(
        type="oauth2",
        description="Log in with your email as username; the token goes in `Authorization: Bearer <token>`.",
        flows=OAuthFlows(password=OAuthFlow(token_url=TOKEN_URL, scopes={})),
    )
}


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationFailed(f"Not authenticated: send 'Authorization: Bearer <token>' (get one from POST {TOKEN_URL}).")
    return token


async def provide_current_user(request: Request, identity: NamedDependency[IdentityService]) -> User:
    user = await identity.user_for_token(bearer_token(request))
    request.scope.setdefault("state", {})["user_id"] = user.id
    structlog.contextvars.bind_contextvars(user_id=user.id)
    return user


def provide_caller(request: Request, identity: NamedDependency[IdentityService]) -> Caller:
    """The token's caller, checked without storage; the use case confirms the
    account in the same database round trip as its own work."""
    caller = identity.caller_for_token(bearer_token(request))
    request.scope.setdefault("state", {})["user_id"] = caller.user_id
    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
    return caller


def client_of(request: Request) -> str:
    """The caller's address as the edge middleware resolved it."""
    state = request.scope.get("state", {})
    return state.get("client_ip") or (request.client.host if request.client else "unknown")


#: Route-handler options for operations that need a logged-in caller: ``current_user``
#: reads the account first; ``caller`` leaves that to the use case's own statement.
AUTHED = {
    "security": SECURITY,
    "dependencies": {
        "current_user": Provide(provide_current_user),
        "caller": Provide(provide_caller, sync_to_thread=False),
    },
}
