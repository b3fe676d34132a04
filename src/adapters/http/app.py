"""The Litestar application: routes, error handling, OpenAPI. Drives the core."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

import msgspec
from litestar import Litestar, MediaType, Request, Response
from litestar.enums import RequestEncodingType
from litestar.types import Message, Scope
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference

from adapters.http.auth import SECURITY_SCHEMES
from adapters.http.errors import DESCRIPTIONS, EXCEPTION_HANDLERS, error_response
from adapters.http.health import ReadinessCheck, liveness, readiness, readiness_dependency
from adapters.http.analysis import AnalysesController
from adapters.http.catalog import CATALOG_HANDLERS
from adapters.http.edge import EdgeMiddleware
from adapters.http.metrics import MetricsController, RequestMetrics
from adapters.http.protection import ClientAddress, Limiter
from adapters.http.identity import UsersController
from adapters.http.inspections import ItemsController
from core.analysis import AnalysisService
from core.catalog import CatalogService
from core.common import invalid_input_from
from core.errors import InvalidInput
from core.identity import IdentityService
from core.inspections import InspectionService

Hook = Callable[[], Awaitable[None]]


class HttpOptions(msgspec.Struct, frozen=True, kw_only=True):
    cors_origins: list[str] = []
    allowed_hosts: list[str] = []
    max_body_size: int = 1024 * 1024
    redirect_to_https: bool = False
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
    analysis: AnalysisService,
    readiness_check: ReadinessCheck,
    limiter: Limiter,
    client_address: ClientAddress,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    options: HttpOptions | None = None,
) -> EdgeMiddleware:
    """The ASGI application: Litestar inside the edge middleware."""
    options = options or HttpOptions()
    cors = None
    if options.cors_origins:
        cors = CORSConfig(
            allow_origins=options.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
            max_age=600,
        )
    app = Litestar(
        route_handlers=[
            UsersController, *CATALOG_HANDLERS, ItemsController, AnalysesController, liveness, readiness, MetricsController,
        ],
        cors_config=cors,
        request_max_body_size=options.max_body_size,
        dependencies={
            "limiter": Provide(lambda: limiter, sync_to_thread=False, use_cache=True),
            "identity": Provide(lambda: identity, sync_to_thread=False, use_cache=True),
            "catalog": Provide(lambda: catalog, sync_to_thread=False, use_cache=True),
            "inspections": Provide(lambda: inspections, sync_to_thread=False, use_cache=True),
            "analysis": Provide(lambda: analysis, sync_to_thread=False, use_cache=True),
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
        before_request=_strict_json_body,
        after_request=_json_not_found,
        before_send=[_complete_allow_header],
        debug=False,
        logging_config=None,
    )
    _document_validation_as_422(app)
    _document_unknown_fields_as_refused(app)
    _document_optional_query_parameters_plainly(app)
    return EdgeMiddleware(
        app,
        limiter=limiter,
        client_address=client_address,
        allowed_hosts=options.allowed_hosts,
        redirect_to_https=options.redirect_to_https,
        metrics=RequestMetrics(),
    )


def _document_optional_query_parameters_plainly(app: Litestar) -> None:
    """An optional query parameter is optional by being left out; it is never
    ``null``. Litestar writes ``X | None`` as ``oneOf: [X, null]``: keep X."""
    for path_item in (app.openapi_schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            for parameter in (getattr(operation, "parameters", None) or []) if operation else []:
                schema = getattr(parameter, "schema", None)
                variants = getattr(schema, "one_of", None) or []
                real = [v for v in variants if getattr(v, "type", None) != OpenAPIType.NULL]
                if parameter.param_in != "query" or len(real) != 1 or len(real) == len(variants):
                    continue
                merged = real[0]
                for name, value in vars(schema).items():
                    if name != "one_of" and value is not None and getattr(merged, name, None) is None:
                        setattr(merged, name, value)
                parameter.schema = merged


def _body_type(handler: Any) -> type | None:
    """The msgspec Struct a handler's JSON ``data`` decodes into, if any."""
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None or not isinstance(field.annotation, type) or not issubclass(field.annotation, msgspec.Struct):
        return None
    kwarg = field.kwarg_definition
    media = getattr(kwarg, "media_type", RequestEncodingType.JSON)
    return field.annotation if media == RequestEncodingType.JSON else None


async def _strict_json_body(request: Request) -> None:
    """Decode JSON bodies strictly before Litestar's lenient conversion does.

    Litestar converts bodies with ``strict=False`` (for query strings), which
    would take ``0`` for ``false`` or ``"5"`` for ``5``. JSON bodies must carry
    the types the schema documents.
    """
    plan = _plan_for(request.route_handler)
    if plan.query and request.scope.get("query_string"):
        _check_query_strictly(request, plan.query)
    body_type = plan.body
    if body_type is None:
        return
    try:
        document = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        return  # malformed JSON: Litestar's own decoding reports it (422)
    try:
        msgspec.convert(_integral_floats_as_ints(document), body_type)
    except msgspec.ValidationError as exc:
        raise invalid_input_from(exc) from exc


def _integral_floats_as_ints(value: Any) -> Any:
    """JSON Schema counts 100.0 as an integer; so do we (and nothing else lax)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    return value


def _unannotated(tp: Any) -> Any:
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


class _Plan(typing.NamedTuple):
    body: type | None
    query: dict[str, Any]


def _plan_for(handler: Any) -> _Plan:
    """What to check for a handler, worked out once from its signature (kept in the
    handler's ``opt``, Litestar's place for per-handler data)."""
    plan = handler.opt.get("opengov_food_plan")
    if plan is None:
        query: dict[str, Any] = {}
        for name, field in handler.parsed_fn_signature.parameters.items():
            annotation = _unannotated(field.annotation)
            if typing.get_origin(annotation) in (typing.Union, types.UnionType):
                real = [_unannotated(a) for a in typing.get_args(annotation) if a is not type(None)]
                annotation = real[0] if len(real) == 1 else annotation
            query[name] = annotation
        plan = _Plan(body=_body_type(handler), query=query)
        handler.opt["opengov_food_plan"] = plan
    return plan


def _check_query_strictly(request: Request, targets: dict[str, Any]) -> None:
    """Query values as the schema documents them: a scalar given once, never the
    text ``null`` for an absent value, date-times in RFC 3339 (Litestar's lenient
    conversion would take ``null`` for None and ``0.5`` for a date-time)."""
    for name in set(request.query_params.keys()) & set(targets):
        target = targets[name]
        values = request.query_params.getall(name)
        try:
            if typing.get_origin(target) is list:
                msgspec.convert(values, target, strict=False)
                continue
            if len(values) > 1:
                raise InvalidInput.for_field(name, "give this parameter once")
            if target is datetime:
                msgspec.convert(values[0], datetime)
            elif target is not str:
                msgspec.convert(values[0], target, strict=False)
        except msgspec.ValidationError as exc:
            message = str(exc).split(" - at ")[0]
            raise InvalidInput.for_field(name, message) from exc


def _structs_in(tp: Any, found: set[type]) -> None:
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        if tp in found:
            return
        found.add(tp)
        for field in msgspec.structs.fields(tp):
            _structs_in(field.type, found)
        return
    for arg in typing.get_args(tp):
        _structs_in(arg, found)


def _document_unknown_fields_as_refused(app: Litestar) -> None:
    """Request bodies refuse unknown fields (``forbid_unknown_fields``); say so in
    the schema with ``additionalProperties: false``."""
    strict: set[type] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            body = _body_type(handler)
            if body is not None:
                _structs_in(body, strict)
    by_name = {cls.__name__: cls for cls in strict}
    schemas = (app.openapi_schema.components.schemas or {}) if app.openapi_schema.components else {}
    for name, schema in schemas.items():
        cls = by_name.get(name)
        if cls is None:
            continue
        if cls.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        for field in msgspec.structs.fields(cls):
            prop = (schema.properties or {}).get(field.encode_name)
            if prop is not None:
                _complete_constraints(prop, field.type)


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusive_minimum", "lt": "exclusive_maximum",
           "min_length": "min_length", "max_length": "max_length", "pattern": "pattern"}  # fmt: skip


def _complete_constraints(prop: Any, tp: Any) -> None:
    """Fill in bounds Litestar leaves out of a body field's schema: a bound of 0
    (it tests them for truth) and the constraints of list elements."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            _complete_constraints(prop, arg)
        return
    if typing.get_origin(tp) is Annotated:
        base, *extras = typing.get_args(tp)
        is_list = typing.get_origin(base) is list
        for meta in (m for m in extras if isinstance(m, msgspec.Meta)):
            for name, attribute in _BOUNDS.items():
                value = getattr(meta, name)
                if value is None or (is_list and name in ("min_length", "max_length")):
                    continue
                if getattr(prop, attribute, None) is None:
                    setattr(prop, attribute, value)
        _complete_constraints(prop, base)
        return
    if typing.get_origin(tp) is list:
        (element,) = typing.get_args(tp)
        array = next((s for s in [prop, *(getattr(prop, "one_of", None) or [])] if getattr(s, "items", None)), None)
        if array is not None and not isinstance(array.items, Reference):
            _complete_constraints(array.items, element)


async def _complete_allow_header(message: Message, scope: Scope) -> None:
    """Litestar answers OPTIONS with the methods of one handler on a path; list
    every method the path supports, as its 405 answers already do."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS" or message["status"] != 204:
        return
    handler = scope.get("route_handler")
    paths = getattr(handler, "paths", set())
    methods: set[str] = {"OPTIONS"}
    for route in scope["app"].routes:
        if route.path in paths or any(route.path.rstrip("/") == p.rstrip("/") for p in paths):
            methods |= set(getattr(route, "methods", ()))
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
    headers.append((b"allow", ", ".join(sorted(methods)).encode()))
    message["headers"] = headers


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
