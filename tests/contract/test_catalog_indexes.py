"""On a catalog of 50,000 cocktails, PostgreSQL answers every kind of search from
an index: proven with EXPLAIN on the exact queries the adapter runs."""

from __future__ import annotations

import json

import psycopg
import pytest

from adapters.postgres.catalog import search_queries
from core.catalog import CocktailQuery, PageRequest, filter_for

ROWS = 50_000


@pytest.fixture(scope="module")
def big_catalog(pg_url: str):
    """50,000 generated cocktails with realistic keys, analysed; removed afterwards."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("TRUNCATE opengov_food.cocktails RESTART IDENTITY CASCADE")
        conn.execute(
            """
            INSERT INTO opengov_food.cocktails
                (name, name_key, description, ingredient_names, ingredient_measures, ingredient_keys,
                 category, category_key, glass, glass_key, alcoholic, search_text)
            SELECT 'Cocktail ' || n, 'cocktail ' || lpad(n::text, 6, '0'), 'A drink number ' || n,
                   ARRAY['Spirit ' || (n %% 200), 'Juice ' || (n %% 50), 'Syrup ' || (n %% 30)],
                   ARRAY['4 cl', '2 cl', NULL],
                   ARRAY['spirit ' || (n %% 200), 'juice ' || (n %% 50), 'syrup ' || (n %% 30)],
                   'Category ' || (n %% 20), 'category ' || (n %% 20),
                   'Glass ' || (n %% 12), 'glass ' || (n %% 12), n %% 7 <> 0,
                   'cocktail ' || lpad(n::text, 6, '0') || E'\\n' || 'a drink number ' || n
            FROM generate_series(1, %s) AS n
            """,
            (ROWS,),
        )
        conn.execute("ANALYZE opengov_food.cocktails")
    yield pg_url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("TRUNCATE opengov_food.cocktails RESTART IDENTITY CASCADE")


def plan(url: str, sql: str, params: list) -> str:
    with psycopg.connect(url) as conn:
        rows = conn.execute("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()[0]
    return json.dumps(rows)


def indexes_used(url: str, sql: str, params: list) -> set[str]:
    found: set[str] = set()

    def walk(node: dict) -> None:
        if "Index Name" in node:
            found.add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(json.loads(plan(url, sql, params))[0]["Plan"])
    return found


ORDER = "cocktails_name_key_key"


@pytest.mark.parametrize(
    ("query", "page", "page_indexes", "count_index"),
    [
        (CocktailQuery(q="cocktail 04217"), PageRequest(), {"cocktails_search_trgm_idx"}, "cocktails_search_trgm_idx"),
        (
            CocktailQuery(ingredients=["Spirit 17", "Juice 17"]),
            PageRequest(),
            {"cocktails_ingredient_keys_idx"},
            "cocktails_ingredient_keys_idx",
        ),
        # A 5% filter under LIMIT 20: walking the order index is the cheap plan for the page.
        (CocktailQuery(category="Category 3"), PageRequest(), {"cocktails_category_idx", ORDER}, "cocktails_category_idx"),
        (CocktailQuery(glass="Glass 3"), PageRequest(), {"cocktails_glass_idx", ORDER}, "cocktails_glass_idx"),
        (CocktailQuery(), PageRequest(), {ORDER}, None),
        (CocktailQuery(), PageRequest(after=("cocktail 045000", 45000)), {ORDER}, None),
    ],
    ids=["name-substring", "two-ingredients", "category", "glass", "first-page", "deep-keyset-page"],
)
def test_searches_use_their_index(
    big_catalog: str, query: CocktailQuery, page: PageRequest, page_indexes: set[str], count_index: str | None
) -> None:
    (page_sql, page_params), (count_sql, count_params) = search_queries(filter_for(query), page)
    assert indexes_used(big_catalog, page_sql, page_params) & page_indexes
    assert '"Seq Scan"' not in plan(big_catalog, page_sql, page_params)
    if count_index is not None:
        assert count_index in indexes_used(big_catalog, count_sql, count_params)
        assert '"Seq Scan"' not in plan(big_catalog, count_sql, count_params)


def test_a_deep_keyset_page_does_not_read_the_rows_before_it(big_catalog: str) -> None:
    (sql, params), _ = search_queries(filter_for(CocktailQuery()), PageRequest(after=("cocktail 049000", 49000), limit=20))
    with psycopg.connect(big_catalog) as conn:
        analysed = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0][0]["Plan"]
    # Only the page's own rows are read, not the 49,000 before them.
    assert analysed["Actual Rows"] <= 20

    def rows_read(node: dict) -> int:
        return max([node.get("Actual Rows", 0), *(rows_read(c) for c in node.get("Plans", []))])

    assert rows_read(analysed) <= 20
