"""opengov-food's domain core: entities, use cases, ports and errors.

Imports only the standard library and msgspec. Build the services with any
adapters that satisfy the ports, for example the in-memory ones in
``adapters.memory`` (see the README's library example).
"""

from core.common import MAX_ID, Clock, Page, validated
from core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    Unavailable,
    UpstreamFailed,
)

__all__ = [
    "MAX_ID",
    "AuthenticationFailed",
    "Clock",
    "Conflict",
    "DomainError",
    "FieldError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Page",
    "PreconditionFailed",
    "Unavailable",
    "UpstreamFailed",
    "validated",
]
