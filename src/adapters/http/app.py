"""The Litestar application: routes, error handling, OpenAPI. Drives the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import msgspec
from litestar import Litestar, MediaType, Response
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIResponse, Reference

from adapters.http.auth import SECURITY_SCHEMES
from adapters.http.errors import DESCRIPTIONS, EXCEPTION_HANDLERS, error_response
from adapters.http.health import ReadinessCheck, liveness, readiness, readiness_dependency
from adapters.http.catalog import CATALOG_HANDLERS
from adapters.http.identity import UsersController
from adapters.http.inspections import ItemsController
from core.catalog import CatalogService
from core.identity import IdentityService
from core.inspections import InspectionService

Hook = Callable[[], Awaitable[None]]


class HttpOptions(msgspec.Struct, frozen=True, kw_only=True):
    title: str = "opengov-food"
    version: str = "0.1.0"
    description: str = (
        "Food and drink for the public sector: a cocktail catalog and food-safety inspections. "
        "Log in with the Authorize button (email as username)."
    )
    debug: bool = False


def create_http_app(
    *,
    identity: IdentityService,
    catalog: CatalogService,
    inspections: InspectionService,
    readiness_check: ReadinessCheck,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    options: HttpOptions | None = None,
) -> Litestar:
    options = options or HttpOptions()
    app = Litestar(
        route_handlers=[UsersController, *CATALOG_HANDLERS, ItemsController, liveness, readiness],
        dependencies={
            "identity": Provide(lambda: identity, sync_to_thread=False, use_cache=True),
            "catalog": Provide(lambda: catalog, sync_to_thread=False, use_cache=True),
            "inspections": Provide(lambda: inspections, sync_to_thread=False, use_cache=True),
            "readiness_check": readiness_dependency(readiness_check),
        },
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        on_startup=list(on_startup),
        on_shutdown=list(on_shutdown),
        openapi_config=OpenAPIConfig(
            title=options.title,
            version=options.version,
            description=options.description,
            path="/",
            render_plugins=[SwaggerRenderPlugin(path="/docs")],
            components=Components(security_schemes=SECURITY_SCHEMES),
            use_handler_docstrings=False,
        ),
        after_request=_json_not_found,
        debug=False,
        logging_config=None,
    )
    _document_validation_as_422(app)
    return app


def _document_validation_as_422(app: Litestar) -> None:
    """Litestar documents a 400 for every operation that validates input, but
    validation failures answer 422 in our error shape (see ``errors.py``).
    Move that entry to 422 so the schema says what the API does."""
    for path_item in (app.openapi_schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            if operation is None or not operation.responses or "400" not in operation.responses:
                continue
            del operation.responses["400"]
            operation.responses.setdefault(
                "422",
                OpenAPIResponse(
                    description=DESCRIPTIONS[422],
                    content={"application/json": OpenAPIMediaType(schema=Reference("#/components/schemas/ErrorBody"))},
                ),
            )


async def _json_not_found(response: Response) -> Response:
    """Litestar's OpenAPI router answers unknown top-level paths with an HTML 404
    page; every error of ours is JSON in one shape."""
    if response.status_code == 404 and response.media_type == MediaType.HTML:
        return error_response(404, "not_found", "Not Found")
    return response
