"""ETags from entity versions, and the If-Match / If-None-Match rules (RFC 9110 13.1)."""

from __future__ import annotations

from litestar import Request

from core.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def expected_version(request: Request) -> int | None:
    """The version an If-Match header insists on; ``None`` when absent or ``*``.

    Weak tags never match If-Match (strong comparison), and a tag we never
    issued cannot be current: both answer 412, like a stale version.
    """
    header = request.headers.get("if-match")
    if header is None:
        return None
    tags = _tags(header)
    if tags == ["*"]:
        return None
    versions = {int(tag[1:-1]) for tag in tags if len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit()}
    if len(versions) != 1:
        raise PreconditionFailed("If-Match must name one current ETag (as sent in the ETag header) or '*'.")
    return versions.pop()


def not_modified(request: Request, version: int) -> bool:
    """True when If-None-Match names the current version (weak comparison) or ``*``."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    current = etag(version)
    return any(tag == "*" or tag.removeprefix("W/") == current for tag in _tags(header))
