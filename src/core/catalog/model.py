"""Cocktails: the entity, the commands that make and change one, and the rules.

Every constraint is in an annotation here and nowhere else; the HTTP adapter
decodes bodies and query parameters straight into these types.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.common import Skip
from core.text import NON_BLANK_PATTERN, WHITESPACE_CLASS

NAME_MAX = 100
DESCRIPTION_MAX = 2_000
INSTRUCTIONS_MAX = 5_000
INGREDIENTS_MIN = 1
INGREDIENTS_MAX = 30
INGREDIENT_NAME_MAX = 100
MEASURE_MAX = 50
CATEGORY_MAX = 50
GLASS_MAX = 50
TAGS_MAX = 10
TAG_MAX = 30
IMAGE_URL_MAX = 2_000
QUERY_MAX = 100
INGREDIENT_FILTERS_MAX = 10
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
FACETS_DEFAULT_LIMIT = 100
FACETS_MAX_LIMIT = 1000

#: At least one non-space character.
NON_BLANK = NON_BLANK_PATTERN

CocktailName = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=NAME_MAX, pattern=NON_BLANK, description="Unique, ignoring letter case."),
]
IngredientName = Annotated[str, msgspec.Meta(min_length=1, max_length=INGREDIENT_NAME_MAX, pattern=NON_BLANK)]
Measure = Annotated[str, msgspec.Meta(max_length=MEASURE_MAX, description='Free text such as "4.5 cl" or "1 dash".')]
Description = Annotated[str, msgspec.Meta(max_length=DESCRIPTION_MAX)]
Instructions = Annotated[str, msgspec.Meta(max_length=INSTRUCTIONS_MAX)]
Category = Annotated[str, msgspec.Meta(max_length=CATEGORY_MAX, examples=["Cocktail"])]
Glass = Annotated[str, msgspec.Meta(max_length=GLASS_MAX, examples=["Old fashioned glass"])]
#: Blank tags are dropped, like repeated ones.
Tag = Annotated[str, msgspec.Meta(max_length=TAG_MAX)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=TAGS_MAX)]
ImageUrl = Annotated[
    str,
    msgspec.Meta(max_length=IMAGE_URL_MAX, pattern=f"^https?://[^{WHITESPACE_CLASS}\\x00-\\x1f\\x7f]+$", description="An http(s) URL."),
]


class Ingredient(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: IngredientName
    measure: Measure | None = None


Ingredients = Annotated[
    list[Ingredient],
    msgspec.Meta(min_length=INGREDIENTS_MIN, max_length=INGREDIENTS_MAX, description="In the order they are used."),
]


class Cocktail(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    description: str
    instructions: str
    ingredients: list[Ingredient]
    category: str
    glass: str
    alcoholic: bool
    tags: list[str]
    image_url: str | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    #: Starts at 1 and grows by one on every update; the HTTP ETag.
    version: int


class CocktailDraft(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A whole cocktail, for creating one or replacing one (PUT)."""

    name: CocktailName
    ingredients: Ingredients
    description: Description = ""
    instructions: Instructions = ""
    category: Category = ""
    glass: Glass = ""
    alcoholic: bool = True
    tags: Tags = []
    image_url: ImageUrl | None = None


class CocktailPatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Some fields of a cocktail (PATCH); the rest stay as they are."""

    name: CocktailName | UnsetType = UNSET
    ingredients: Ingredients | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    instructions: Instructions | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    glass: Glass | UnsetType = UNSET
    alcoholic: bool | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    image_url: ImageUrl | None | UnsetType = UNSET


SearchText = Annotated[str, msgspec.Meta(max_length=QUERY_MAX, description="Substring of name or description.")]
#: A blank ingredient filter is no condition, like a blank ``q``; one longer
#: than any ingredient name simply matches nothing.
IngredientFilter = str
IngredientFilters = Annotated[
    list[IngredientFilter],
    msgspec.Meta(max_length=INGREDIENT_FILTERS_MAX, description="Every one must be in the recipe."),
]
CatalogLimit = Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT, description="Page size.")]
Cursor = Annotated[str, msgspec.Meta(max_length=400, description="next_cursor of the previous page.")]
FacetLimit = Annotated[int, msgspec.Meta(ge=1, le=FACETS_MAX_LIMIT, description="Page size.")]
Prefix = Annotated[str, msgspec.Meta(max_length=INGREDIENT_NAME_MAX)]


class CocktailQuery(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Search and paging. Results are ordered by name (ignoring case and
    accents), then by id; ``cursor`` continues after the previous page
    (keyset pagination, as cheap deep in the list as at its start)."""

    q: SearchText | None = None
    ingredients: IngredientFilters = []
    category: Category | None = None
    glass: Glass | None = None
    alcoholic: bool | None = None
    skip: Skip = 0
    limit: CatalogLimit = DEFAULT_LIMIT
    cursor: Cursor | None = None


class Facet(msgspec.Struct, frozen=True):
    """A distinct value (ingredient, category, glass) and how many cocktails have it."""

    name: str
    cocktails: int


class ImportResult(msgspec.Struct, frozen=True):
    added: int
    skipped: int


# -- what storage adapters receive: every key already computed by the core --


class CocktailRecord(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    name_key: str
    description: str
    instructions: str
    ingredients: list[Ingredient]
    ingredient_keys: list[str]
    category: str
    category_key: str
    glass: str
    glass_key: str
    alcoholic: bool
    tags: list[str]
    image_url: str | None
    search_text: str
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class CocktailFilter(msgspec.Struct, frozen=True, kw_only=True):
    """A search, in keys. A cocktail matches when every set condition holds:
    ``text`` is a substring of its ``search_text``, every ingredient key is
    among its ``ingredient_keys``, and the other keys are equal."""

    text: str | None = None
    ingredient_keys: tuple[str, ...] = ()
    category_key: str | None = None
    glass_key: str | None = None
    alcoholic: bool | None = None


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Rows in (name_key, id) order: after ``after`` when set, then skip, then limit."""

    skip: int = 0
    limit: int = DEFAULT_LIMIT
    after: tuple[str, int] | None = None
