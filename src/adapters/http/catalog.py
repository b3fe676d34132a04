"""The cocktail catalog under /api/v1: cocktails, ingredients, categories, glasses."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody

from adapters.http.auth import AUTHED
from adapters.http.errors import error_responses
from adapters.http.params import query
from adapters.http.etags import etag, expected_version, not_modified
from core.catalog import (
    DEFAULT_LIMIT,
    FACETS_DEFAULT_LIMIT,
    CatalogLimit,
    CatalogService,
    Cocktail,
    CocktailDraft,
    CocktailPatch,
    CocktailQuery,
    Cursor,
    Facet,
    FacetLimit,
    IngredientFilters,
    Prefix,
    SearchText,
)
from core.catalog.model import Category, Glass
from core.common import Id, Page, Skip
from core.identity import Principal, User

QText = query(SearchText | None)
QIngredients = query(IngredientFilters | None)
QCategory = query(Category | None)
QGlass = query(Glass | None)
QSkip = query(Skip)
QLimit = query(CatalogLimit)
QCursor = query(Cursor | None)
QPrefix = query(Prefix)
QFacetLimit = query(FacetLimit)
QAlcoholic = query(bool | None)
ETAG_HEADER = [ResponseHeader(name="ETag", description="The cocktail's version; send it back in If-Match.", documentation_only=True)]


def _query(
    q: SearchText | None,
    ingredient: IngredientFilters | None,
    category: Category | None,
    glass: Glass | None,
    alcoholic: bool | None,
    skip: int = 0,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> CocktailQuery:
    return CocktailQuery(
        q=q, ingredients=ingredient or [], category=category, glass=glass, alcoholic=alcoholic,
        skip=skip, limit=limit, cursor=cursor,
    )  # fmt: skip


def _with_etag(cocktail: Cocktail, status_code: int = 200, **headers: str) -> Response[Cocktail]:
    return Response(cocktail, status_code=status_code, headers={"ETag": etag(cocktail.version), **headers})


class CocktailsController(Controller):
    path = "/api/v1/cocktails"
    tags = ["cocktails"]

    @get("/", summary="List and search cocktails", responses=error_responses(422))
    async def search(
        self,
        catalog: NamedDependency[CatalogService],
        q: QText = None,
        ingredient: QIngredients = None,
        category: QCategory = None,
        glass: QGlass = None,
        alcoholic: QAlcoholic = None,
        skip: QSkip = 0,
        limit: QLimit = DEFAULT_LIMIT,
        cursor: QCursor = None,
    ) -> Page[Cocktail]:
        """Ordered by name (ignoring case and accents), then id. ``q`` is a substring of
        the name or description; every ``ingredient`` must be in the recipe; ``category``,
        ``glass`` and ``alcoholic`` are exact (ignoring case). Pass ``next_cursor`` as
        ``cursor`` to read the next page at constant cost."""
        return await catalog.search(_query(q, ingredient, category, glass, alcoholic, skip, limit, cursor))

    @post(
        "/",
        summary="Create a cocktail",
        responses=error_responses(401, 409, 422),
        response_headers=ETAG_HEADER,
        **AUTHED,
    )
    async def create(
        self, catalog: NamedDependency[CatalogService], current_user: NamedDependency[User], data: JSONBody[CocktailDraft]
    ) -> Response[Cocktail]:
        cocktail = await catalog.create(Principal.of(current_user), data)
        return _with_etag(cocktail, 201, Location=f"/api/v1/cocktails/{cocktail.id}")

    @get("/random", summary="A random cocktail (optionally among those matching filters)", responses=error_responses(404, 422))
    async def random(
        self,
        catalog: NamedDependency[CatalogService],
        q: QText = None,
        ingredient: QIngredients = None,
        category: QCategory = None,
        glass: QGlass = None,
        alcoholic: QAlcoholic = None,
    ) -> Response[Cocktail]:
        cocktail = await catalog.random(_query(q, ingredient, category, glass, alcoholic))
        return Response(cocktail, headers={"Cache-Control": "no-store"})

    @get(
        "/{cocktail_id:int}",
        summary="Read a cocktail",
        responses=error_responses(404, 422),
        response_headers=ETAG_HEADER,
    )
    async def read(
        self, request: Request, catalog: NamedDependency[CatalogService], cocktail_id: Id
    ) -> Response[Cocktail]:
        cocktail = await catalog.get(cocktail_id)
        if not_modified(request, cocktail.version):
            return Response(None, status_code=304, headers={"ETag": etag(cocktail.version)})  # type: ignore[arg-type]
        return _with_etag(cocktail)

    @put(
        "/{cocktail_id:int}",
        summary="Replace a cocktail (creator or superuser)",
        responses=error_responses(401, 403, 404, 409, 412, 422),
        response_headers=ETAG_HEADER,
        **AUTHED,
    )
    async def replace(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        current_user: NamedDependency[User],
        cocktail_id: Id,
        data: JSONBody[CocktailDraft],
    ) -> Response[Cocktail]:
        actor = Principal.of(current_user)
        return _with_etag(await catalog.replace(actor, cocktail_id, data, expected_version=expected_version(request)))

    @patch(
        "/{cocktail_id:int}",
        summary="Change some fields of a cocktail (creator or superuser)",
        responses=error_responses(401, 403, 404, 409, 412, 422),
        response_headers=ETAG_HEADER,
        **AUTHED,
    )
    async def patch(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        current_user: NamedDependency[User],
        cocktail_id: Id,
        data: JSONBody[CocktailPatch],
    ) -> Response[Cocktail]:
        actor = Principal.of(current_user)
        return _with_etag(await catalog.patch(actor, cocktail_id, data, expected_version=expected_version(request)))

    @delete(
        "/{cocktail_id:int}",
        summary="Delete a cocktail (creator or superuser)",
        responses=error_responses(401, 403, 404, 412, 422),
        **AUTHED,
    )
    async def remove(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        current_user: NamedDependency[User],
        cocktail_id: Id,
    ) -> None:
        await catalog.delete(Principal.of(current_user), cocktail_id, expected_version=expected_version(request))


@get("/api/v1/ingredients", summary="Ingredients in use, with how many cocktails use each", tags=["cocktails"],
     responses=error_responses(422))  # fmt: skip
async def list_ingredients(
    catalog: NamedDependency[CatalogService],
    prefix: QPrefix = "",
    skip: QSkip = 0,
    limit: QFacetLimit = FACETS_DEFAULT_LIMIT,
) -> Page[Facet]:
    return await catalog.ingredients(prefix, skip=skip, limit=limit)


@get("/api/v1/categories", summary="Categories, with how many cocktails each", tags=["cocktails"],
     responses=error_responses(422))  # fmt: skip
async def list_categories(
    catalog: NamedDependency[CatalogService], skip: QSkip = 0, limit: QFacetLimit = FACETS_DEFAULT_LIMIT
) -> Page[Facet]:
    return await catalog.categories(skip=skip, limit=limit)


@get("/api/v1/glasses", summary="Glasses, with how many cocktails each", tags=["cocktails"],
     responses=error_responses(422))  # fmt: skip
async def list_glasses(
    catalog: NamedDependency[CatalogService], skip: QSkip = 0, limit: QFacetLimit = FACETS_DEFAULT_LIMIT
) -> Page[Facet]:
    return await catalog.glasses(skip=skip, limit=limit)


CATALOG_HANDLERS = [CocktailsController, list_ingredients, list_categories, list_glasses]
