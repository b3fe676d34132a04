"""Properties of the pure domain rules; each test's name states its rule."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from adapters.memory import MemoryCocktailRepository
from adapters.security import FixedClock
from core.catalog import CatalogService, CocktailDraft, CocktailFilter, CocktailQuery, Ingredient, matches, record_for
from core.catalog.rules import normalized
from core.errors import Conflict, InvalidInput
from core.identity import Principal
from core.inspections import ItemStatus, allowed, check_transition
from core.text import clean, fold

T0 = datetime(2026, 1, 1, tzinfo=UTC)
words = st.text(min_size=1, max_size=12)


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_ignores_letter_case_as_unicode_case_folding_defines_it(text: str) -> None:
    # Unicode case folding, not upper()/lower(): "ı".upper() is "I", yet dotless ı is its own letter.
    assert fold(text) == fold(text.casefold())


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_fold_ignores_ascii_letter_case(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower())


@given(st.text())
def test_clean_is_idempotent_trimmed_and_free_of_nul(text: str) -> None:
    once = clean(text)
    assert clean(once) == once and once == once.strip() and "\x00" not in once


drafts = st.builds(
    lambda name, ingredients, description, category: CocktailDraft(
        name=name, ingredients=[Ingredient(name=i) for i in ingredients], description=description, category=category
    ),
    name=words.filter(lambda s: clean(s)),
    ingredients=st.lists(words.filter(lambda s: clean(s)), min_size=1, max_size=4, unique_by=fold),
    description=st.text(max_size=30),
    category=st.sampled_from(["", "Cocktail", "cocktail", "Shot"]),
)


@given(drafts, st.text(max_size=5), st.lists(words, max_size=2), st.none() | st.sampled_from(["cocktail", "shot"]))
def test_search_matching_agrees_with_its_definition(draft, q, ingredients, category) -> None:
    draft = normalized(draft)
    record = record_for(draft, created_by=None, created_at=T0, updated_at=T0)
    condition = CocktailFilter(
        text=fold(q) or None, ingredient_keys=tuple(fold(i) for i in ingredients if fold(i)), category_key=category
    )
    by_definition = (
        (not fold(q) or fold(q) in fold(draft.name) + "\n" + fold(draft.description))
        and all(fold(i) in {fold(x.name) for x in draft.ingredients} for i in ingredients if fold(i))
        and (category is None or fold(draft.category) == category)
    )
    assert matches(condition, record) == by_definition


@given(st.lists(st.sampled_from(list(ItemStatus)), max_size=12), st.booleans())
def test_the_status_workflow_never_reaches_an_illegal_state(moves: list[ItemStatus], superuser: bool) -> None:
    status = ItemStatus.PENDING
    reachable = {ItemStatus.PENDING}
    for target in moves:
        try:
            check_transition(status, target, superuser=superuser)
        except Conflict:
            assert target != status and target not in allowed(status, superuser=superuser)
            continue
        assert target == status or target in allowed(status, superuser=superuser)
        status = target
        reachable.add(status)
    # Without a superuser, finished work stays finished.
    if not superuser and (ItemStatus.COMPLETED in reachable or ItemStatus.CANCELLED in reachable):
        assert status in (ItemStatus.COMPLETED, ItemStatus.CANCELLED)


@given(st.lists(words.filter(lambda s: clean(s)), min_size=0, max_size=25, unique_by=fold), st.integers(1, 7))
def test_pagination_visits_every_row_exactly_once_in_order(names: list[str], limit: int) -> None:
    async def scenario() -> tuple[list[int], list[int]]:
        catalog = CatalogService(MemoryCocktailRepository(), FixedClock())
        actor = Principal(user_id=1, is_superuser=False)
        created = []
        for name in names:
            try:
                created.append(await catalog.create(actor, CocktailDraft(name=name, ingredients=[Ingredient(name="Gin")])))
            except InvalidInput:
                pass
        expected = [c.id for c in sorted(created, key=lambda c: (fold(c.name), c.id))]
        seen, cursor = [], None
        while True:
            page = await catalog.search(CocktailQuery(limit=limit, cursor=cursor))
            seen += [c.id for c in page.items]
            if page.next_cursor is None:
                return seen, expected
            cursor = page.next_cursor

    seen, expected = asyncio.run(scenario())
    assert seen == expected
