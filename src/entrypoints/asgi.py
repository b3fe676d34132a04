"""The ASGI application factory: ``granian --interface asgi --factory entrypoints.asgi:create_app``."""

from __future__ import annotations

import logging

from litestar import Litestar

from adapters.http import HttpOptions, create_http_app
from entrypoints.bootstrap import Container, build
from entrypoints.settings import Settings, load_settings


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    """Build the app from the environment (or the given settings / container)."""
    if container is None:
        settings = settings or load_settings()
        container = build(settings)
    logging.basicConfig(level=container.settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_http_app(
        identity=container.identity,
        catalog=container.catalog,
        inspections=container.inspections,
        readiness_check=container.readiness,
        on_startup=[container.startup],
        on_shutdown=[container.shutdown],
        options=HttpOptions(),
    )
    app.state.container = container
    return app
