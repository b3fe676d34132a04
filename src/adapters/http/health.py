"""Liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
from litestar import Response, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec


class Health(msgspec.Struct, frozen=True):
    status: str
    checks: dict[str, str] = {}


ReadinessCheck = Callable[[], Awaitable[dict[str, str]]]


@get("/health", summary="Liveness: the process answers (no database)", tags=["health"])
async def liveness() -> Health:
    return Health(status="ok")


@get(
    "/health/ready",
    summary="Readiness: the database answers",
    tags=["health"],
    responses={503: ResponseSpec(Health, description="Not ready: a dependency is down.")},
)
async def readiness(readiness_check: NamedDependency[ReadinessCheck]) -> Response[Health]:
    checks = await readiness_check()
    ready = all(state == "ok" for state in checks.values())
    return Response(Health(status="ok" if ready else "unavailable", checks=checks), status_code=200 if ready else 503)


def readiness_dependency(check: ReadinessCheck) -> Provide:
    return Provide(lambda: check, sync_to_thread=False)
