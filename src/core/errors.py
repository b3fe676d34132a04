"""The one error hierarchy of opengov-food.

Every failure the domain can report is a ``DomainError``. Adapters translate
driver and framework errors into these (chaining the original with ``from``),
and the HTTP adapter maps each class to one status code in one table.
"""

from __future__ import annotations

import msgspec


class FieldError(msgspec.Struct, frozen=True):
    """One invalid field: where it is and what is wrong with it."""

    field: str
    message: str


class DomainError(Exception):
    """Root of every error raised by the core."""

    #: Short machine-readable name, stable across releases.
    kind = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The request is well-formed but breaks a domain rule."""

    kind = "validation_error"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors = list(errors or [])

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(f"{field}: {message}", [FieldError(field=field, message=message)])


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it does)."""

    kind = "not_found"


class Conflict(DomainError):
    """The change clashes with the current state (duplicate, illegal transition)."""

    kind = "conflict"


class PreconditionFailed(DomainError):
    """The caller's copy is stale: the version they named is no longer current."""

    kind = "precondition_failed"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    kind = "forbidden"


class AuthenticationFailed(DomainError):
    """The caller could not be identified: bad credentials or an unusable token."""

    kind = "authentication_failed"


class UpstreamFailed(DomainError):
    """A provider we depend on answered, but with an error or an unusable answer."""

    kind = "upstream_error"


class Unavailable(DomainError):
    """A dependency (database, provider) cannot serve the request right now."""

    kind = "unavailable"


__all__ = [
    "AuthenticationFailed",
    "Conflict",
    "DomainError",
    "FieldError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "PreconditionFailed",
    "Unavailable",
    "UpstreamFailed",
]
