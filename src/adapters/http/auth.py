"""Who is calling: the bearer token dependency and its OpenAPI security scheme."""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OAuthFlow, OAuthFlows, SecurityScheme

from core.errors import AuthenticationFailed
from core.identity import IdentityService, User

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
    return await identity.user_for_token(bearer_token(request))


#: Route-handler options for operations that need a logged-in caller.
AUTHED = {
    "security": SECURITY,
    "dependencies": {"current_user": Provide(provide_current_user)},
}
