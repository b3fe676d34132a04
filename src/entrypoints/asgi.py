"""The ASGI application factory: ``granian --interface asgi --factory entrypoints.asgi:create_app``."""

from __future__ import annotations

import gc
from typing import Any

from adapters.http import HttpOptions, create_http_app
from adapters.http.metrics import watch_pool
from adapters.http.protection import ClientAddress
from entrypoints.bootstrap import Container, build
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings, load_settings


def create_app(settings: Settings | None = None, container: Container | None = None, *, freeze_gc: bool | None = None) -> Any:
    """Build the ASGI app from the environment (or the given settings / container).

    ``freeze_gc`` (default: when built from the environment, as the server does)
    moves everything built here out of the garbage collector's reach.
    """
    if freeze_gc is None:
        freeze_gc = settings is None and container is None
    if container is None:
        settings = settings or load_settings()
        container = build(settings)
    settings = container.settings
    configure_logging(settings.log_level, settings.resolved_log_format)
    app = create_http_app(
        identity=container.identity,
        catalog=container.catalog,
        inspections=container.inspections,
        analysis=container.analysis,
        readiness_check=container.readiness,
        limiter=container.limiter,
        client_address=ClientAddress(Settings.split(settings.trusted_proxies)),
        on_startup=[container.startup],
        on_shutdown=[container.shutdown],
        options=HttpOptions(
            cors_origins=Settings.split(settings.backend_cors_origins),
            allowed_hosts=Settings.split(settings.allowed_hosts),
            max_body_size=settings.max_body_size,
            redirect_to_https=settings.is_production,
        ),
    )
    stats = getattr(container.database, "stats", None)
    if stats is not None:
        app.state.pool_watch = watch_pool(stats)
    app.state.container = container
    # Everything built so far lives as long as the process: keep it out of the
    # garbage collector's scans, which would otherwise walk it on every full
    # collection and show as latency spikes under load.
    if freeze_gc:
        gc.collect()
        gc.freeze()
    return app
