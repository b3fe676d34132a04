"""Identity entities and commands, with the rules that define a valid one.

The constraints live in the type annotations below and nowhere else: the HTTP
adapter decodes request bodies straight into these Structs (so msgspec checks
them), and the service re-checks any command built in Python via
``core.common.validated``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.text import WHITESPACE_CLASS, clean

EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
FULL_NAME_MAX_LENGTH = 100

#: One ``@``, something on each side, a dot in the domain, no whitespace or
#: control characters (spelled so Python and OpenAPI's ECMAScript regexes agree).
_EMAIL_CHAR = "[^@" + WHITESPACE_CLASS + r"\x00-\x1b\x7f]"
EMAIL_PATTERN = f"^{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\\.{_EMAIL_CHAR}+$"

Email = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=EMAIL_MAX_LENGTH,
        pattern=EMAIL_PATTERN,
        description="E-mail address; compared case-insensitively.",
        examples=["inspector@example.gov"],
    ),
]
Password = Annotated[
    str,
    msgspec.Meta(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description=f"Between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters.",
    ),
]
#: A password offered for checking (not for setting): any length up to the maximum.
OfferedPassword = Annotated[str, msgspec.Meta(max_length=PASSWORD_MAX_LENGTH)]
FullName = Annotated[str, msgspec.Meta(max_length=FULL_NAME_MAX_LENGTH, description="Display name.")]


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed and lower-cased, so uniqueness
    and login ignore letter case."""
    return email.strip().lower()


def normalize_full_name(name: str) -> str:
    return clean(name)


class User(msgspec.Struct, frozen=True, kw_only=True):
    """A person who can log in. Never carries the password hash."""

    id: int
    email: str
    full_name: str
    is_active: bool
    is_superuser: bool
    created_at: datetime
    updated_at: datetime
    #: Bumped when the password changes or the account is deactivated;
    #: tokens carry the value they were issued with and die when it moves.
    token_version: int = 0


class Credentials(msgspec.Struct, frozen=True):
    """A user together with their password hash, only for checking a password."""

    user: User
    password_hash: str


class NewUserRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What a repository needs to store a new user; it assigns the id."""

    email: str
    full_name: str
    password_hash: str
    is_active: bool
    is_superuser: bool
    created_at: datetime


class UserChanges(msgspec.Struct, frozen=True, kw_only=True):
    """A partial update for a repository: unset fields stay as they are."""

    updated_at: datetime
    email: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET
    password_hash: str | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    is_superuser: bool | UnsetType = UNSET
    token_version: int | UnsetType = UNSET


# Commands. ``forbid_unknown_fields`` is the documented rule for bodies: a
# field we do not know (for example ``is_superuser`` sent to self-service
# endpoints) is rejected with 422, never silently taken or dropped.


class Registration(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Self-registration: anyone may sign up while open registration is on."""

    email: Email
    password: Password
    full_name: FullName = ""


class UserCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A superuser creating an account."""

    email: Email
    password: Password
    full_name: FullName = ""
    is_active: bool = True
    is_superuser: bool = False


class ProfileUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A user changing their own profile. Changing the password needs the current one."""

    email: Email | UnsetType = UNSET
    full_name: FullName | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    current_password: OfferedPassword | UnsetType = UNSET


class UserAdminUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A superuser changing any account."""

    email: Email | UnsetType = UNSET
    full_name: FullName | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    is_superuser: bool | UnsetType = UNSET


class TokenClaims(msgspec.Struct, frozen=True, kw_only=True):
    """What an access token asserts: who (``sub``), which token generation, when."""

    sub: str
    ver: int
    iat: int
    exp: int
    #: The role at issue time. Only a hint for which query to try first
    #: (``Caller.superuser_hint``); authority always comes from the stored user.
    su: bool = False


class AccessToken(msgspec.Struct, frozen=True, kw_only=True):
    """OAuth2 bearer token response (RFC 6749 section 5.1)."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = 0


class Principal(msgspec.Struct, frozen=True):
    """The authenticated caller, as other contexts see them."""

    user_id: int
    is_superuser: bool

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user_id=user.id, is_superuser=user.is_superuser)


class Caller(msgspec.Struct, frozen=True, kw_only=True):
    """Whom a bearer token names, before their account has been read.

    The token's signature and lifetime are already checked. Whether the account
    still backs it is confirmed by storage *in the same round trip* as the work
    the request does (``ItemRepository.get_as`` and friends), by the rule
    ``confirmed_by``; storage answers with the caller's current role, so
    ``superuser_hint`` (the role the token was issued with) only chooses which
    query to try first and never grants anything.
    """

    user_id: int
    token_version: int
    superuser_hint: bool = False

    def confirmed_by(self, user: User | None) -> Principal | None:
        """The rule every adapter applies: the account exists, is active and has
        not moved its ``token_version`` since the token was issued. SQL adapters
        write it as ``id = %s AND is_active AND token_version = %s``."""
        if user is None or user.id != self.user_id or not user.is_active or user.token_version != self.token_version:
            return None
        return Principal.of(user)

    def guess(self) -> Principal:
        """The principal the token suggests, for choosing a query; never for deciding."""
        return Principal(user_id=self.user_id, is_superuser=self.superuser_hint)


USERS_DEFAULT_LIMIT = 100
USERS_MAX_LIMIT = 1000
UsersLimit = Annotated[int, msgspec.Meta(ge=1, le=USERS_MAX_LIMIT, description="Page size.")]
