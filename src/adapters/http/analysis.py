"""Analyses of an item under /api/v1/items/{item_id}/analyses."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from adapters.http.auth import AUTHED
from adapters.http.errors import error_responses
from adapters.http.params import query
from core.analysis import DEFAULT_LIMIT, AnalysesLimit, Analysis, AnalysisRequest, AnalysisService
from core.common import Id, Page, Skip
from core.identity import Caller

QSkip = query(Skip)
QLimit = query(AnalysesLimit)


class AnalysesController(Controller):
    path = "/api/v1/items/{item_id:int}/analyses"
    tags = ["analyses"]
    security = AUTHED["security"]
    dependencies = AUTHED["dependencies"]

    @post(
        "/",
        summary="Analyse inspection notes about an item (owner or superuser)",
        responses=error_responses(401, 404, 422, 502, 503),
    )
    async def create(
        self,
        analysis: NamedDependency[AnalysisService],
        caller: NamedDependency[Caller],
        item_id: Id,
        data: JSONBody[AnalysisRequest],
    ) -> Response[Analysis]:
        """``provider`` is ``rules`` (offline, deterministic), ``ollama`` or ``openai``; the
        server's default when left out. Findings are checked whatever produced them: a
        provider that fails or answers badly gives 503 or 502, never invented findings."""
        stored = await analysis.analyze_item(caller, item_id, data)
        return Response(stored, status_code=201, headers={"Location": f"/api/v1/items/{item_id}/analyses"})

    @get("/", summary="An item's analyses, newest first", responses=error_responses(401, 404, 422))
    async def list_analyses(
        self,
        analysis: NamedDependency[AnalysisService],
        caller: NamedDependency[Caller],
        item_id: Id,
        skip: QSkip = 0,
        limit: QLimit = DEFAULT_LIMIT,
    ) -> Page[Analysis]:
        return await analysis.list_for_item(caller, item_id, skip=skip, limit=limit)
