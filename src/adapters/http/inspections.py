"""Inspection items under /api/v1/items (the second seed's paths and payloads)."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from adapters.http.auth import AUTHED
from adapters.http.errors import error_responses
from adapters.http.params import query
from adapters.http.etags import etag, expected_version, not_modified
from core.common import Id, Page, Skip
from core.identity import Caller
from core.inspections import (
    DEFAULT_LIMIT,
    InspectionService,
    Item,
    ItemCreate,
    ItemQuery,
    ItemsLimit,
    ItemUpdate,
    SearchText,
    SortOrder,
    Statuses,
)

ETAG_HEADER = [ResponseHeader(name="ETag", description="The item's version; send it back in If-Match.", documentation_only=True)]
WRITE_ERRORS = error_responses(401, 404, 409, 412, 422)


def _with_etag(item: Item, status_code: int = 200, **headers: str) -> Response[Item]:
    return Response(item, status_code=status_code, headers={"ETag": etag(item.version), **headers})


class ItemsController(Controller):
    path = "/api/v1/items"
    tags = ["items"]
    security = AUTHED["security"]
    dependencies = AUTHED["dependencies"]

    @get("/", summary="List items (own; all for a superuser)", responses=error_responses(401, 403, 422))
    async def search(
        self,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        status: query(Statuses | None) = None,
        search: query(SearchText | None) = None,
        owner_id: query(Id | None) = None,
        created_after: FromQuery[datetime | None] = None,
        created_before: FromQuery[datetime | None] = None,
        sort: FromQuery[SortOrder] = "-created_at",
        skip: query(Skip) = 0,
        limit: query(ItemsLimit) = DEFAULT_LIMIT,
    ) -> Page[Item]:
        """``status`` repeats; ``search`` is a substring of title or description (ignoring
        case and accents); ``owner_id`` is for superusers; ``created_after`` is inclusive,
        ``created_before`` exclusive; ``sort`` is ``created_at``, ``updated_at``, or either
        with ``-`` for newest first (default ``-created_at``)."""
        query = ItemQuery(
            status=status or [], search=search, owner_id=owner_id, created_after=created_after,
            created_before=created_before, sort=sort, skip=skip, limit=limit,
        )  # fmt: skip
        return await inspections.search(caller, query)

    @post("/", summary="Create an item (owned by the caller)", responses=error_responses(401, 422),
          response_headers=ETAG_HEADER)  # fmt: skip
    async def create(
        self,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        data: JSONBody[ItemCreate],
    ) -> Response[Item]:
        item = await inspections.create(caller, data)
        return _with_etag(item, 201, Location=f"/api/v1/items/{item.id}")

    @get("/{item_id:int}", summary="Read an item", responses=error_responses(401, 404, 422), response_headers=ETAG_HEADER)
    async def read(
        self,
        request: Request,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        item_id: Id,
    ) -> Response[Item]:
        item = await inspections.get(caller, item_id)
        if not_modified(request, item.version):
            return Response(None, status_code=304, headers={"ETag": etag(item.version)})  # type: ignore[arg-type]
        return _with_etag(item)

    @put("/{item_id:int}", summary="Update an item (the given fields)", responses=WRITE_ERRORS,
         response_headers=ETAG_HEADER)  # fmt: skip
    async def replace(
        self,
        request: Request,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        item_id: Id,
        data: JSONBody[ItemUpdate],
    ) -> Response[Item]:
        return await self._update(request, inspections, caller, item_id, data)

    @patch("/{item_id:int}", summary="Update an item (the given fields)", responses=WRITE_ERRORS,
           response_headers=ETAG_HEADER)  # fmt: skip
    async def change(
        self,
        request: Request,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        item_id: Id,
        data: JSONBody[ItemUpdate],
    ) -> Response[Item]:
        return await self._update(request, inspections, caller, item_id, data)

    @delete("/{item_id:int}", summary="Delete an item", responses=error_responses(401, 404, 412, 422))
    async def remove(
        self,
        request: Request,
        inspections: NamedDependency[InspectionService],
        caller: NamedDependency[Caller],
        item_id: Id,
    ) -> None:
        await inspections.delete(caller, item_id, expected_version=expected_version(request))

    @staticmethod
    async def _update(
        request: Request, inspections: InspectionService, caller: Caller, item_id: int, data: ItemUpdate
    ) -> Response[Item]:
        return _with_etag(await inspections.update(caller, item_id, data, expected_version=expected_version(request)))
