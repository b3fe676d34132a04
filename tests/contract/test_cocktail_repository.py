"""One behaviour suite for every CocktailRepository adapter, driven through the
core's CatalogService so keys are computed exactly as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.security import FixedClock
from core.catalog import CatalogService, CocktailDraft, CocktailPatch, CocktailQuery, Ingredient
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from core.identity import Principal

OWNER = Principal(user_id=1, is_superuser=False)
OTHER = Principal(user_id=2, is_superuser=False)
ADMIN = Principal(user_id=3, is_superuser=True)


def draft(name: str, *ingredients: str, **fields: object) -> CocktailDraft:
    return CocktailDraft(
        name=name,
        ingredients=[Ingredient(name=i, measure="3 cl") for i in ingredients or ("Gin",)],
        **fields,  # type: ignore[arg-type]
    )


SAMPLE = [
    draft("Negroni", "Gin", "Campari", "Sweet red vermouth", category="Cocktail", glass="Old fashioned glass",
          description="Bitter, sweet and strong."),
    draft("Margarita", "Tequila", "Triple sec", "Fresh lime juice", category="Cocktail", glass="Margarita glass"),
    draft("Piña Colada", "White rum", "Pineapple juice", "Coconut cream", category="Cocktail", glass="Hurricane glass",
          description="Creamy and tropical."),
    draft("Gin Fizz", "Gin", "Fresh lemon juice", "Simple syrup", "Soda water", category="Ordinary Drink",
          glass="Highball glass", description="A sour, lengthened with soda."),
    draft("Bee's Knees", "Gin", "Fresh lemon juice", "Honey syrup", category="Cocktail", glass="Cocktail glass"),
    draft("Virgin Mojito", "Mint", "Fresh lime juice", "Sugar", "Soda water", category="Ordinary Drink",
          glass="Highball glass", alcoholic=False, description="All the mint, none of the rum."),
    draft("cosmopolitan", "Vodka", "Triple sec", "Cranberry juice", "Fresh lime juice", category="cocktail",
          glass="Cocktail glass"),
    draft("Éclair 100%_Special", "Coffee liqueur", "Cream", category="Shot", glass="Shot glass",
          description="Test of wildcards: 100% and under_score."),
]  # fmt: skip


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 5, 1, tzinfo=UTC))


@pytest.fixture
async def catalog(cocktail_repository, user_repository, clock) -> CatalogService:
    # created_by references users in SQL adapters: make users 1..3 exist.
    from core.identity import NewUserRecord

    for n in (1, 2, 3):
        await user_repository.add(
            NewUserRecord(email=f"u{n}@example.gov", full_name="", password_hash="x", is_active=True,
                          is_superuser=n == 3, created_at=clock.now())
        )  # fmt: skip
    return CatalogService(cocktail_repository, clock)


async def seed(catalog: CatalogService) -> dict[str, int]:
    return {d.name: (await catalog.create(OWNER, d)).id for d in SAMPLE}


async def names(catalog: CatalogService, **query: object) -> list[str]:
    page = await catalog.search(CocktailQuery(**query))  # type: ignore[arg-type]
    return [c.name for c in page.items]


async def test_create_stores_every_field_and_starts_at_version_1(catalog, clock) -> None:
    created = await catalog.create(
        OWNER,
        CocktailDraft(
            name="  Negroni ",
            ingredients=[Ingredient(name=" Gin ", measure=" 3 cl "), Ingredient(name="Orange peel", measure="  ")],
            description="Bitter.",
            instructions="Stir.",
            category="Cocktail",
            glass="Old fashioned glass",
            tags=["IBA", "iba", "bitter"],
            image_url="https://example.org/negroni.jpg",
        ),
    )
    assert created.name == "Negroni" and created.version == 1 and created.created_by == OWNER.user_id
    assert created.ingredients == [Ingredient(name="Gin", measure="3 cl"), Ingredient(name="Orange peel", measure=None)]
    assert created.tags == ["iba", "bitter"]
    assert created.created_at == created.updated_at == clock.now()
    assert await catalog.get(created.id) == created


async def test_names_are_unique_ignoring_case_and_accents(catalog) -> None:
    await catalog.create(OWNER, draft("Piña Colada"))
    with pytest.raises(Conflict, match="already exists"):
        await catalog.create(OTHER, draft("PINA COLADA"))


async def test_duplicate_ingredient_in_one_recipe_is_invalid(catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        await catalog.create(OWNER, draft("Double gin", "Gin", "Tonic water", "GIN"))
    assert caught.value.errors[0].field == "ingredients[2].name"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (dict(name="   "), "name"),
        (dict(name="x" * 101), "name"),
        (dict(ingredients=[]), "ingredients"),
        (dict(ingredients=[Ingredient(name=f"i{n}") for n in range(31)]), "ingredients"),
        (dict(ingredients=[Ingredient(name="  ")]), "ingredients[0].name"),
        (dict(image_url="javascript:alert(1)"), "image_url"),
        (dict(tags=["x" * 31]), "tags[0]"),
    ],
)
async def test_invalid_drafts_are_refused_naming_the_field(catalog, bad: dict, field: str) -> None:
    values = {"name": "Valid", "ingredients": [Ingredient(name="Gin")], **bad}
    with pytest.raises(InvalidInput) as caught:
        await catalog.create(OWNER, CocktailDraft(**values))  # type: ignore[arg-type]
    assert caught.value.errors[0].field == field


async def test_list_is_ordered_by_name_ignoring_case_and_accents(catalog) -> None:
    await seed(catalog)
    assert await names(catalog) == [
        "Bee's Knees", "cosmopolitan", "Éclair 100%_Special", "Gin Fizz", "Margarita", "Negroni", "Piña Colada",
        "Virgin Mojito",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "gin"}, ["Gin Fizz", "Virgin Mojito"]),
        ({"q": "PINA"}, ["Piña Colada"]),
        ({"q": "creamy"}, ["Piña Colada"]),
        ({"q": "100%"}, ["Éclair 100%_Special"]),
        ({"q": "_"}, ["Éclair 100%_Special"]),
        ({"q": "%"}, ["Éclair 100%_Special"]),
        ({"q": "ta"}, ["cosmopolitan", "Margarita"]),
        ({"q": "zzz"}, []),
        ({"q": "   "}, ["Bee's Knees", "cosmopolitan", "Éclair 100%_Special", "Gin Fizz", "Margarita", "Negroni",
                        "Piña Colada", "Virgin Mojito"]),
        ({"ingredients": ["gin"]}, ["Bee's Knees", "Gin Fizz", "Negroni"]),
        ({"ingredients": ["Gin", "FRESH LEMON JUICE"]}, ["Bee's Knees", "Gin Fizz"]),
        ({"ingredients": ["Fresh lime juice", "Triple sec"]}, ["cosmopolitan", "Margarita"]),
        ({"ingredients": ["Gin", "Tequila"]}, []),
        ({"ingredients": ["lemon"]}, []),
        ({"category": "COCKTAIL"}, ["Bee's Knees", "cosmopolitan", "Margarita", "Negroni", "Piña Colada"]),
        ({"glass": "highball glass"}, ["Gin Fizz", "Virgin Mojito"]),
        ({"alcoholic": False}, ["Virgin Mojito"]),
        ({"alcoholic": True, "glass": "Highball glass"}, ["Gin Fizz"]),
        ({"q": "a", "ingredients": ["Triple sec"], "category": "cocktail"}, ["cosmopolitan", "Margarita"]),
    ],
)
async def test_search_gives_the_same_results_in_the_same_order(catalog, query: dict, expected: list[str]) -> None:
    await seed(catalog)
    assert await names(catalog, **query) == expected


async def test_skip_limit_and_total(catalog) -> None:
    await seed(catalog)
    page = await catalog.search(CocktailQuery(skip=2, limit=3))
    assert [c.name for c in page.items] == ["Éclair 100%_Special", "Gin Fizz", "Margarita"]
    assert (page.total, page.skip, page.limit) == (8, 2, 3)
    assert (await catalog.search(CocktailQuery(skip=50))).items == []


async def test_cursor_pages_visit_every_match_once_in_order(catalog) -> None:
    await seed(catalog)
    seen, cursor = [], None
    while True:
        page = await catalog.search(CocktailQuery(limit=3, cursor=cursor))
        seen += [c.name for c in page.items]
        assert page.total == 8
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == await names(catalog, limit=100)


async def test_a_forged_cursor_is_invalid(catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        await catalog.search(CocktailQuery(cursor="not-a-cursor!"))
    assert caught.value.errors[0].field == "cursor"


async def test_replace_bumps_the_version_and_moves_updated_at(catalog, clock) -> None:
    created = await catalog.create(OWNER, draft("Negroni", "Gin", "Campari"))
    replaced = await catalog.replace(OWNER, created.id, draft("Negroni Sbagliato", "Prosecco", "Campari"))
    assert replaced.version == 2 and replaced.name == "Negroni Sbagliato"
    assert [i.name for i in replaced.ingredients] == ["Prosecco", "Campari"]
    assert replaced.updated_at > created.updated_at and replaced.created_at == created.created_at
    assert await names(catalog, ingredients=["Gin"]) == []
    assert await names(catalog, ingredients=["Prosecco"]) == ["Negroni Sbagliato"]
    assert await names(catalog, q="sbagliato") == ["Negroni Sbagliato"]


async def test_patch_changes_only_the_given_fields(catalog, clock) -> None:
    created = await catalog.create(OWNER, draft("Negroni", "Gin", "Campari", glass="Old fashioned glass"))
    clock.advance(timedelta(minutes=1))
    patched = await catalog.patch(OWNER, created.id, CocktailPatch(description="Equal parts."))
    assert patched.description == "Equal parts." and patched.glass == "Old fashioned glass"
    assert patched.version == 2 and patched.updated_at == clock.now()


async def test_stale_expected_version_is_a_failed_precondition(catalog) -> None:
    created = await catalog.create(OWNER, draft("Negroni"))
    await catalog.patch(OWNER, created.id, CocktailPatch(description="v2"))
    with pytest.raises(PreconditionFailed):
        await catalog.patch(OWNER, created.id, CocktailPatch(description="v3"), expected_version=1)
    with pytest.raises(PreconditionFailed):
        await catalog.replace(OWNER, created.id, draft("Negroni"), expected_version=1)
    with pytest.raises(PreconditionFailed):
        await catalog.delete(OWNER, created.id, expected_version=1)
    assert (await catalog.get(created.id)).description == "v2"
    await catalog.delete(OWNER, created.id, expected_version=2)
    with pytest.raises(NotFound):
        await catalog.get(created.id)


async def test_renaming_onto_another_cocktail_is_a_conflict(catalog) -> None:
    await catalog.create(OWNER, draft("Negroni"))
    other = await catalog.create(OWNER, draft("Boulevardier"))
    with pytest.raises(Conflict):
        await catalog.patch(OWNER, other.id, CocktailPatch(name="NEGRONI"))
    assert (await catalog.get(other.id)).version == 1


async def test_only_the_creator_or_a_superuser_may_change_or_delete(catalog) -> None:
    created = await catalog.create(OWNER, draft("Negroni"))
    with pytest.raises(Forbidden):
        await catalog.patch(OTHER, created.id, CocktailPatch(description="mine now"))
    with pytest.raises(Forbidden):
        await catalog.delete(OTHER, created.id)
    assert (await catalog.patch(ADMIN, created.id, CocktailPatch(description="ok"))).version == 2
    await catalog.delete(ADMIN, created.id)


async def test_unknown_ids_are_not_found(catalog) -> None:
    for call in (
        catalog.get(424242),
        catalog.patch(ADMIN, 424242, CocktailPatch(description="x")),
        catalog.delete(ADMIN, 424242),
        catalog.get(2**64),
    ):
        with pytest.raises(NotFound):
            await call


async def test_deleting_removes_it_from_search_and_facets(catalog) -> None:
    ids = await seed(catalog)
    await catalog.delete(OWNER, ids["Gin Fizz"])
    assert await names(catalog, q="fizz") == []
    assert await names(catalog, ingredients=["Soda water"]) == ["Virgin Mojito"]
    soda = [f for f in (await catalog.ingredients("soda")).items]
    assert [(f.name, f.cocktails) for f in soda] == [("Soda water", 1)]


async def test_ingredients_are_distinct_counted_and_filtered_by_prefix(catalog) -> None:
    await seed(catalog)
    page = await catalog.ingredients("FRESH")
    assert [(f.name, f.cocktails) for f in page.items] == [("Fresh lemon juice", 2), ("Fresh lime juice", 3)]
    assert page.total == 2
    everything = await catalog.ingredients(limit=1000)
    assert everything.total == len(everything.items) == 19
    assert [f.name for f in (await catalog.ingredients(skip=1, limit=2)).items] == [
        everything.items[1].name,
        everything.items[2].name,
    ]


async def test_categories_and_glasses_group_ignoring_case(catalog) -> None:
    await seed(catalog)
    categories = await catalog.categories()
    assert [(f.name, f.cocktails) for f in categories.items] == [
        ("Cocktail", 5), ("Ordinary Drink", 2), ("Shot", 1),
    ]  # fmt: skip
    glasses = await catalog.glasses()
    assert glasses.total == 6 and ("Highball glass", 2) in [(f.name, f.cocktails) for f in glasses.items]


async def test_random_picks_only_matching_cocktails(catalog) -> None:
    await seed(catalog)
    picks = {(await catalog.random(CocktailQuery(ingredients=["Gin"]))).name for _ in range(20)}
    assert picks <= {"Negroni", "Gin Fizz", "Bee's Knees"} and picks
    with pytest.raises(NotFound):
        await catalog.random(CocktailQuery(q="no such drink"))


async def test_import_adds_new_skips_known_and_is_idempotent(catalog) -> None:
    await catalog.create(OWNER, draft("Negroni"))
    first = await catalog.import_cocktails(SAMPLE)
    assert (first.added, first.skipped) == (7, 1)
    again = await catalog.import_cocktails(SAMPLE)
    assert (again.added, again.skipped) == (0, 8)
    assert (await catalog.search(CocktailQuery())).total == 8


async def test_a_bad_record_rejects_the_whole_import(catalog) -> None:
    bad = [*SAMPLE[:3], CocktailDraft(name="Broken", ingredients=[]), *SAMPLE[3:]]
    with pytest.raises(InvalidInput) as caught:
        await catalog.import_cocktails(bad)
    assert "cocktail 3" in caught.value.message and caught.value.errors[0].field == "cocktails[3].ingredients"
    assert (await catalog.search(CocktailQuery())).total == 0


async def test_a_name_twice_in_one_file_rejects_the_import(catalog) -> None:
    with pytest.raises(InvalidInput, match="repeats cocktail 0"):
        await catalog.import_cocktails([draft("Negroni"), draft("NEGRONI")])
    assert (await catalog.search(CocktailQuery())).total == 0


async def test_export_yields_everything_in_catalog_order(catalog) -> None:
    await seed(catalog)
    exported = [c.name async for c in catalog.export(batch=3)]
    assert exported == await names(catalog, limit=100)
