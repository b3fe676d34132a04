"""The HTTP adapter (Litestar): drives the core over REST under /api/v1."""

from adapters.http.app import HttpOptions, create_http_app

__all__ = ["HttpOptions", "create_http_app"]
