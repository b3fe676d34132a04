"""Pieces every bounded context shares: the clock port, the list envelope,
page rules, identifiers and validation of commands built outside HTTP."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Generic, Protocol, TypeVar

import msgspec

from core.errors import FieldError, InvalidInput

T = TypeVar("T")

#: Identifiers are positive 64-bit integers in every storage adapter.
MAX_ID = 2**63 - 1
#: Offsets beyond this are refused instead of asking a database to walk them.
MAX_SKIP = 1_000_000_000

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID, description="Identifier.")]
Skip = Annotated[int, msgspec.Meta(ge=0, le=MAX_SKIP, description="Rows to skip before the page starts.")]


class Clock(Protocol):
    """Tells the time. Always timezone-aware UTC."""

    def now(self) -> datetime: ...


class Page(msgspec.Struct, Generic[T], frozen=True, omit_defaults=True):
    """The one list envelope of the API: ``{"items", "total", "skip", "limit"}``.

    Lists with keyset pagination add ``next_cursor`` while more rows follow.
    """

    items: list[T]
    total: int
    skip: int
    limit: int
    next_cursor: str | None = None


def is_valid_id(value: int) -> bool:
    """True when ``value`` can name a stored row in every adapter."""
    return 1 <= value <= MAX_ID


def check_page(skip: int, limit: int, max_limit: int) -> None:
    """Reject a page request outside the documented bounds."""
    errors = []
    if not 0 <= skip <= MAX_SKIP:
        errors.append(FieldError(field="skip", message=f"must be between 0 and {MAX_SKIP}"))
    if not 1 <= limit <= max_limit:
        errors.append(FieldError(field="limit", message=f"must be between 1 and {max_limit}"))
    if errors:
        raise InvalidInput("Invalid page request: " + "; ".join(f"{e.field} {e.message}" for e in errors), errors)


_LOCATION = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)

S = TypeVar("S", bound=msgspec.Struct)


def validated(command: S) -> S:
    """Check a command Struct against the constraints in its own annotations.

    msgspec checks ``Meta`` constraints when it decodes (which is how HTTP bodies
    arrive) but not when Python code builds a Struct directly. Library callers
    go through this, so the rules are stated once, in the annotations.
    """
    try:
        return msgspec.convert(msgspec.to_builtins(command), type(command))
    except msgspec.ValidationError as exc:
        raise invalid_input_from(exc) from exc


def invalid_input_from(exc: msgspec.ValidationError) -> InvalidInput:
    """Turn msgspec's ``"Expected ... - at `$.field`"`` into a field error."""
    match = _LOCATION.match(str(exc))
    message = match.group("message") if match else str(exc)
    path = (match.group("path") or "") if match else ""
    field = path.lstrip(".") or "body"
    return InvalidInput(f"{field}: {message}", [FieldError(field=field, message=message)])


__all__ = ["MAX_ID", "MAX_SKIP", "Clock", "Id", "Page", "Skip", "check_page", "invalid_input_from", "is_valid_id", "validated"]
