"""The one mapping from errors to HTTP responses, and the one error shape.

Every error answers ``{"detail": str, "type": str, "timestamp": str}`` plus
``errors: [{"field", "message"}]`` when specific fields were wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from adapters.http.protection import RateLimited
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

log = structlog.get_logger("opengov_food.http")


class ErrorBody(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The error shape of every non-2xx response."""

    detail: str
    type: str
    timestamp: str
    errors: list[FieldError] = []


#: Core error -> HTTP status. The only such table.
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: 422,
    AuthenticationFailed: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    UpstreamFailed: 502,
    Unavailable: 503,
}

#: Framework-level statuses -> the ``type`` we report.
TYPE_BY_STATUS = {
    400: "validation_error",
    401: "authentication_failed",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "upstream_error",
    503: "unavailable",
}

DESCRIPTIONS = {
    401: "Missing, invalid or expired credentials.",
    403: "Authenticated, but not allowed to do this.",
    404: "No such resource.",
    409: "Conflicts with the current state.",
    412: "The resource changed since the version named in If-Match.",
    422: "The request was malformed or broke a validation rule.",
    429: "Too many requests; see Retry-After.",
    502: "A provider (such as a language model) answered with an error or an unusable answer.",
    503: "A dependency such as the database is unavailable.",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses an operation may answer."""
    return {
        status: ResponseSpec(data_container=ErrorBody, description=DESCRIPTIONS.get(status, "Error."))
        for status in statuses
    }


def timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def error_response(
    status: int, kind: str, detail: str, errors: list[FieldError] | None = None, headers: dict[str, str] | None = None
) -> Response:
    headers = {**({"WWW-Authenticate": "Bearer"} if status == 401 else {}), **(headers or {})}
    body = ErrorBody(detail=detail, type=kind, timestamp=timestamp(), errors=errors or [])
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def handle_domain_error(request: Request, exc: DomainError) -> Response:
    status = status_for(exc)
    if status == 500:
        return handle_unexpected(request, exc)
    errors = exc.errors if isinstance(exc, InvalidInput) else None
    return error_response(status, exc.kind, exc.message, errors)


def handle_validation_error(request: Request, exc: ValidationException) -> Response:
    """Litestar's body/parameter validation failures: 422 with field details."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            errors.append(FieldError(field=key if key != "data" else "body", message=str(item.get("message", ""))))
    detail = "Invalid request: " + "; ".join(f"{e.field}: {e.message}" for e in errors) if errors else _public(exc.detail)
    return error_response(422, "validation_error", detail, errors)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status == 400:
        # Litestar raises 400 for bodies it cannot decode; our clients expect 422.
        status = 422
    if status >= 500:
        return handle_unexpected(request, exc)
    response = error_response(status, TYPE_BY_STATUS.get(status, "http_error"), _public(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def handle_unexpected(request: Request, exc: Exception) -> Response:
    """A fault of ours: log it with its traceback, tell the caller nothing of it."""
    log.error("unhandled error", method=request.method, path=request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "Internal server error; the fault has been logged.")


def handle_rate_limited(request: Request, exc: RateLimited) -> Response:
    return error_response(429, "rate_limited", exc.message, headers={"Retry-After": str(exc.retry_after)})


EXCEPTION_HANDLERS = {
    RateLimited: handle_rate_limited,
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}


def status_for(exc: DomainError) -> int:
    for cls, status in STATUS_BY_ERROR.items():
        if isinstance(exc, cls):
            return status
    return 500


def _public(detail: str) -> str:
    return detail or "Request could not be processed."
