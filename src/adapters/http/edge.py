"""The edge of the HTTP adapter, around the whole Litestar app (so 404s and
405s pass through it too): request ids, access logs, client addresses,
allowed hosts, the HTTPS redirect, the general rate limit and security headers."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Sequence
from typing import Any

import msgspec
import structlog

from adapters.http.errors import ErrorBody, timestamp
from adapters.http.metrics import RequestMetrics
from adapters.http.protection import ClientAddress, Limiter, RateLimited
from core.errors import Unavailable

access_log = structlog.get_logger("opengov_food.access")
_ACCESS = logging.getLogger("opengov_food.access")
log = structlog.get_logger("opengov_food.http")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: Probes and scrapes: never rate limited, never logged per request at INFO.
UNLIMITED_PATHS = ("/health", "/health/ready", "/metrics")
#: Not counted in the request metrics (scrapes would count themselves).
UNMEASURED_PATHS = ("/metrics",)
#: Swagger UI loads its script and style from jsDelivr and runs an inline bootstrap.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
SECURITY_HEADERS_HTTPS = [*SECURITY_HEADERS, HSTS]
#: The only request headers the edge reads (ASGI gives names in lower case).
_WANTED_HEADERS = frozenset({b"x-request-id", b"host", b"x-forwarded-for", b"x-forwarded-proto", b"fly-client-ip"})


class EdgeMiddleware:
    def __init__(
        self,
        app: Any,
        *,
        limiter: Limiter,
        client_address: ClientAddress,
        allowed_hosts: Sequence[str] = (),
        redirect_to_https: bool = False,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.limiter = limiter
        self.client_address = client_address
        self.allowed_hosts = [h.lower() for h in allowed_hosts]
        self.redirect_to_https = redirect_to_https

    def __getattr__(self, name: str) -> Any:
        # Let callers reach the Litestar app's attributes (openapi_schema, state, ...).
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope.get("headers", ())
            if name in _WANTED_HEADERS
        }
        offered = headers.get("x-request-id", "")
        request_id = offered if _SANE_REQUEST_ID.match(offered) else os.urandom(16).hex()
        peer = (scope.get("client") or ("", 0))[0] or ""
        client = self.client_address.resolve(peer, headers)
        proto = headers.get("x-forwarded-proto", "").lower() if self.client_address.trusted(peer) else ""
        https = scope.get("scheme") == "https" or proto == "https"
        state = scope.setdefault("state", {})
        state.update(request_id=request_id, client_ip=client)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                added = [(b"x-request-id", request_id.encode()), *(SECURITY_HEADERS_HTTPS if https else SECURITY_HEADERS)]
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        path = scope.get("path", "")
        method = scope.get("method", "")
        metrics = self.metrics if path not in UNMEASURED_PATHS else None
        if metrics is not None:
            metrics.started(method)
        try:
            if self.allowed_hosts and not self._host_allowed(headers.get("host", "")):
                await _error(send_with_headers, 400, "invalid_host", "This server does not answer for that host name.")
            elif self.redirect_to_https and proto == "http":
                await _redirect(send_with_headers, f"https://{headers.get('host', '')}{_raw_target(scope)}")
            elif path in UNLIMITED_PATHS or await self._within_limit(client, send_with_headers):
                await self.app(scope, receive, send_with_headers)
        finally:
            if metrics is not None:
                metrics.finished(method, scope.get("path_template"), status, time.perf_counter() - started)
            level = logging.DEBUG if path in UNLIMITED_PATHS else logging.INFO
            if _ACCESS.isEnabledFor(level):
                self._log_access(scope, path, status, started, client, state, level)

    @staticmethod
    def _log_access(scope: dict, path: str, status: int, started: float, client: str, state: dict, level: int) -> None:
        fields = {
            "method": scope.get("method"),
            "path": scope.get("path_template") or path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "client": client,
        }
        if state.get("user_id") is not None:
            fields["user_id"] = state["user_id"]
        access_log.log(level, "request", **fields)

    async def _within_limit(self, client: str, send: Any) -> bool:
        try:
            await self.limiter.general(client)
        except RateLimited as exc:
            await _error(send, 429, "rate_limited", exc.message, [(b"retry-after", str(exc.retry_after).encode())])
            return False
        except Unavailable:
            # The shared store is down: serve rather than refuse everyone (readiness reports it).
            log.warning("rate-limit store unavailable; general limit skipped")
        return True

    def _host_allowed(self, host_header: str) -> bool:
        host = host_header.rsplit(":", 1)[0].lower() if not host_header.startswith("[") else host_header.lower()
        for allowed in self.allowed_hosts:
            if allowed == "*" or host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:])):
                return True
        return False


def _raw_target(scope: dict) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    return scope.get("path", "/") + (f"?{query}" if query else "")


async def _error(send: Any, status: int, kind: str, detail: str, headers: list | None = None) -> None:
    body = msgspec.json.encode(ErrorBody(detail=detail, type=kind, timestamp=timestamp()))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Any, location: str) -> None:
    await send({"type": "http.response.start", "status": 308, "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
