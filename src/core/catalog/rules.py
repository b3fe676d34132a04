"""The catalog's rules in one place: normalizing a draft, the keys it is stored
and searched by, what a search matches, the sort order, and cursors."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from core.catalog.model import (
    Cocktail,
    CocktailDraft,
    CocktailFilter,
    CocktailQuery,
    CocktailRecord,
    Ingredient,
)
from core.errors import InvalidInput
from core.text import clean, clean_block, fold


def normalized(draft: CocktailDraft) -> CocktailDraft:
    """Trim every text, drop blank measures, de-duplicate tags; refuse a recipe
    that names one ingredient twice (ignoring case and accents)."""
    ingredients = [
        Ingredient(name=clean(i.name), measure=(clean(i.measure) or None) if i.measure is not None else None)
        for i in draft.ingredients
    ]
    seen: dict[str, int] = {}
    for position, ingredient in enumerate(ingredients):
        if not ingredient.name:
            raise InvalidInput.for_field(f"ingredients[{position}].name", "must not be blank")
        key = fold(ingredient.name)
        if key in seen:
            raise InvalidInput.for_field(
                f"ingredients[{position}].name",
                f"{ingredient.name!r} is already ingredient {seen[key] + 1}; list each ingredient once",
            )
        seen[key] = position
    tags: list[str] = []
    for tag in draft.tags:
        tag = clean(tag).lower()
        if tag and tag not in tags:
            tags.append(tag)
    name = clean(draft.name)
    if not name:
        raise InvalidInput.for_field("name", "must not be blank")
    return CocktailDraft(
        name=name,
        ingredients=ingredients,
        description=clean_block(draft.description),
        instructions=clean_block(draft.instructions),
        category=clean(draft.category),
        glass=clean(draft.glass),
        alcoholic=draft.alcoholic,
        tags=tags,
        image_url=draft.image_url or None,
    )


def search_text(name: str, description: str) -> str:
    """What ``q`` is matched against: the folded name and description. The
    line break cannot occur in a folded query, so no match spans both."""
    return fold(name) + "\n" + fold(description)


def record_for(draft: CocktailDraft, *, created_by: int | None, created_at: datetime, updated_at: datetime) -> CocktailRecord:
    """The stored form of a normalized draft, with every key computed."""
    return CocktailRecord(
        name=draft.name,
        name_key=fold(draft.name),
        description=draft.description,
        instructions=draft.instructions,
        ingredients=list(draft.ingredients),
        ingredient_keys=[fold(i.name) for i in draft.ingredients],
        category=draft.category,
        category_key=fold(draft.category),
        glass=draft.glass,
        glass_key=fold(draft.glass),
        alcoholic=draft.alcoholic,
        tags=list(draft.tags),
        image_url=draft.image_url,
        search_text=search_text(draft.name, draft.description),
        created_by=created_by,
        created_at=created_at,
        updated_at=updated_at,
    )


def draft_of(cocktail: Cocktail) -> CocktailDraft:
    return CocktailDraft(
        name=cocktail.name,
        ingredients=list(cocktail.ingredients),
        description=cocktail.description,
        instructions=cocktail.instructions,
        category=cocktail.category,
        glass=cocktail.glass,
        alcoholic=cocktail.alcoholic,
        tags=list(cocktail.tags),
        image_url=cocktail.image_url,
    )


def filter_for(query: CocktailQuery) -> CocktailFilter:
    """A query's conditions as keys. Blank text conditions mean "no condition"."""
    text = fold(query.q) if query.q is not None else ""
    keys = tuple(dict.fromkeys(k for k in (fold(i) for i in query.ingredients) if k))
    category = fold(query.category) if query.category is not None else ""
    glass = fold(query.glass) if query.glass is not None else ""
    return CocktailFilter(
        text=text or None,
        ingredient_keys=keys,
        category_key=category or None,
        glass_key=glass or None,
        alcoholic=query.alcoholic,
    )


def matches(condition: CocktailFilter, record: CocktailRecord) -> bool:
    """The definition of a search match; SQL adapters implement exactly this."""
    if condition.text is not None and condition.text not in record.search_text:
        return False
    if condition.ingredient_keys and not set(condition.ingredient_keys) <= set(record.ingredient_keys):
        return False
    if condition.category_key is not None and record.category_key != condition.category_key:
        return False
    if condition.glass_key is not None and record.glass_key != condition.glass_key:
        return False
    return condition.alcoholic is None or record.alcoholic == condition.alcoholic


def sort_key(name_key: str, cocktail_id: int) -> tuple[str, int]:
    """The one catalog order: folded name by code point, then id."""
    return (name_key, cocktail_id)


def encode_cursor(name_key: str, cocktail_id: int) -> str:
    raw = json.dumps([name_key, cocktail_id], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name_key, cocktail_id = json.loads(raw)
        if isinstance(name_key, str) and "\x00" not in name_key and type(cocktail_id) is int and 0 <= cocktail_id < 2**63:
            return name_key, cocktail_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        pass
    raise InvalidInput.for_field("cursor", "is not a cursor this API issued; use next_cursor from a previous page")
