"""The cocktail catalog end to end through Litestar, on PostgreSQL and SQLite."""

from __future__ import annotations

import pytest

from tests.http.conftest import Api
from tests.http.test_users_api import assert_error

NEGRONI = {
    "name": "Negroni",
    "description": "Bitter and sweet.",
    "instructions": "Stir with ice, strain over ice.",
    "ingredients": [
        {"name": "Gin", "measure": "3 cl"},
        {"name": "Campari", "measure": "3 cl"},
        {"name": "Sweet red vermouth", "measure": "3 cl"},
    ],
    "category": "Cocktail",
    "glass": "Old fashioned glass",
    "alcoholic": True,
    "tags": ["iba"],
}


@pytest.fixture(params=["postgres", "sqlite"])
def api(request, make_api) -> Api:
    return make_api(request.param)


def create(api: Api, headers: dict, body: dict | None = None, **changes: object):
    return api.client.post("/api/v1/cocktails/", json={**(body or NEGRONI), **changes}, headers=headers)


def test_create_returns_201_with_etag_location_and_the_creator(api: Api) -> None:
    user_id, headers = api.user()
    response = create(api, headers)
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1 and body["created_by"] == user_id and body["ingredients"][2]["measure"] == "3 cl"
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/api/v1/cocktails/{body['id']}"


def test_create_needs_a_login(api: Api) -> None:
    assert_error(create(api, {}), 401, "authentication_failed")


def test_name_clash_in_any_case_is_409(api: Api) -> None:
    _, headers = api.user()
    create(api, headers)
    assert_error(create(api, headers, name="NEGRONI"), 409, "conflict")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"ingredients": []}, "ingredients"),
        ({"ingredients": [{"name": "Gin"}, {"name": "gin"}]}, "ingredients[1].name"),
        ({"alcoholic": "yes"}, "alcoholic"),
        ({"image_url": "ftp://x"}, "image_url"),
        ({"created_by": 5}, "body"),
        ({"version": 9}, "body"),
    ],
)
def test_invalid_cocktails_are_422_naming_the_field(api: Api, changes: dict, field: str) -> None:
    _, headers = api.user()
    body = assert_error(create(api, headers, **changes), 422, "validation_error")
    assert body["errors"][0]["field"] == field


def test_read_is_public_and_404_for_unknown_ids(api: Api) -> None:
    _, headers = api.user()
    cocktail = create(api, headers).json()
    response = api.client.get(f"/api/v1/cocktails/{cocktail['id']}")
    assert response.status_code == 200 and response.json() == cocktail
    assert_error(api.client.get("/api/v1/cocktails/999999"), 404, "not_found")
    assert_error(api.client.get("/api/v1/cocktails/abc"), 404, "not_found")


def test_if_none_match_with_the_current_etag_is_304(api: Api) -> None:
    _, headers = api.user()
    cocktail_id = create(api, headers).json()["id"]
    url = f"/api/v1/cocktails/{cocktail_id}"
    assert api.client.get(url, headers={"If-None-Match": '"1"'}).status_code == 304
    assert api.client.get(url, headers={"If-None-Match": 'W/"1"'}).status_code == 304
    assert api.client.get(url, headers={"If-None-Match": '"7"'}).status_code == 200


def test_put_replaces_and_patch_changes_only_given_fields(api: Api) -> None:
    _, headers = api.user()
    cocktail_id = create(api, headers).json()["id"]
    url = f"/api/v1/cocktails/{cocktail_id}"
    replaced = api.client.put(url, json={"name": "Negroni Sbagliato", "ingredients": [{"name": "Prosecco"}]}, headers=headers)
    assert replaced.status_code == 200 and replaced.headers["etag"] == '"2"'
    assert replaced.json()["description"] == "" and replaced.json()["glass"] == ""
    patched = api.client.patch(url, json={"glass": "Wine glass"}, headers=headers)
    assert patched.status_code == 200 and patched.json()["name"] == "Negroni Sbagliato"
    assert patched.json()["glass"] == "Wine glass" and patched.json()["version"] == 3


def test_stale_if_match_is_412_and_changes_nothing(api: Api) -> None:
    _, headers = api.user()
    cocktail_id = create(api, headers).json()["id"]
    url = f"/api/v1/cocktails/{cocktail_id}"
    assert api.client.patch(url, json={"glass": "Coupe glass"}, headers={**headers, "If-Match": '"1"'}).status_code == 200
    for method, body in (("patch", {"glass": "x"}), ("put", NEGRONI), ("delete", None)):
        response = api.client.request(method, url, json=body, headers={**headers, "If-Match": '"1"'})
        assert_error(response, 412, "precondition_failed")
    assert_error(api.client.patch(url, json={"glass": "x"}, headers={**headers, "If-Match": "garbage"}), 412, "precondition_failed")
    assert api.client.get(url).json()["glass"] == "Coupe glass"
    assert api.client.delete(url, headers={**headers, "If-Match": '"2"'}).status_code == 204
    assert_error(api.client.get(url), 404, "not_found")


def test_only_the_creator_or_a_superuser_may_change_or_delete(api: Api) -> None:
    _, ann = api.user()
    _, bob = api.user("bob@example.gov")
    url = f"/api/v1/cocktails/{create(api, ann).json()['id']}"
    assert_error(api.client.patch(url, json={"glass": "x"}, headers=bob), 403, "forbidden")
    assert_error(api.client.put(url, json=NEGRONI, headers=bob), 403, "forbidden")
    assert_error(api.client.delete(url, headers=bob), 403, "forbidden")
    assert api.client.patch(url, json={"glass": "Coupe glass"}, headers=api.admin()).status_code == 200
    assert api.client.delete(url, headers=api.admin()).status_code == 204


def test_updates_of_unknown_cocktails_are_404(api: Api) -> None:
    admin = api.admin()
    assert_error(api.client.patch("/api/v1/cocktails/999999", json={"glass": "x"}, headers=admin), 404, "not_found")
    assert_error(api.client.delete("/api/v1/cocktails/999999", headers=admin), 404, "not_found")


def seed(api: Api) -> dict:
    _, headers = api.user("bar@example.gov")
    drinks = [
        NEGRONI,
        {**NEGRONI, "name": "Gin Fizz", "glass": "Highball glass", "category": "Ordinary Drink", "description": "Fizzy.",
         "ingredients": [{"name": "Gin"}, {"name": "Fresh lemon juice"}, {"name": "Soda water"}]},
        {**NEGRONI, "name": "Piña Colada", "glass": "Hurricane glass", "description": "Creamy.",
         "ingredients": [{"name": "White rum"}, {"name": "Pineapple juice"}]},
        {**NEGRONI, "name": "Virgin Mojito", "alcoholic": False, "glass": "Highball glass", "description": "Minty.",
         "ingredients": [{"name": "Mint"}, {"name": "Fresh lime juice"}, {"name": "Soda water"}]},
    ]  # fmt: skip
    for drink in drinks:
        assert create(api, headers, drink).status_code == 201
    return headers


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Gin Fizz", "Negroni", "Piña Colada", "Virgin Mojito"]),
        ("?q=pina", ["Piña Colada"]),
        ("?q=FIZZ", ["Gin Fizz"]),
        ("?ingredient=gin", ["Gin Fizz", "Negroni"]),
        ("?ingredient=Gin&ingredient=soda%20water", ["Gin Fizz"]),
        ("?glass=highball%20glass", ["Gin Fizz", "Virgin Mojito"]),
        ("?category=cocktail", ["Negroni", "Piña Colada", "Virgin Mojito"]),
        ("?alcoholic=false", ["Virgin Mojito"]),
        ("?alcoholic=true&glass=Highball%20glass", ["Gin Fizz"]),
        ("?limit=2&skip=1", ["Negroni", "Piña Colada"]),
    ],
)
def test_search_and_filters(api: Api, query: str, expected: list[str]) -> None:
    seed(api)
    response = api.client.get(f"/api/v1/cocktails{query}")
    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body["items"]] == expected
    assert {"items", "total", "skip", "limit"} <= set(body)


def test_default_and_capped_limit(api: Api) -> None:
    seed(api)
    assert api.client.get("/api/v1/cocktails").json()["limit"] == 20
    assert api.client.get("/api/v1/cocktails?limit=100").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "skip=-1", "alcoholic=maybe", "cursor=%21%21", "q=" + "x" * 101,
     "&".join(["ingredient=x"] * 11), "limit=abc"],
)  # fmt: skip
def test_bad_filters_are_422(api: Api, query: str) -> None:
    assert_error(api.client.get(f"/api/v1/cocktails?{query}"), 422, "validation_error")


def test_cursor_walks_the_whole_list(api: Api) -> None:
    seed(api)
    names, url = [], "/api/v1/cocktails?limit=3"
    first = api.client.get(url).json()
    names += [c["name"] for c in first["items"]]
    second = api.client.get(f"{url}&cursor={first['next_cursor']}").json()
    names += [c["name"] for c in second["items"]]
    assert names == ["Gin Fizz", "Negroni", "Piña Colada", "Virgin Mojito"] and "next_cursor" not in second


def test_random_ingredients_categories_glasses(api: Api) -> None:
    assert_error(api.client.get("/api/v1/cocktails/random"), 404, "not_found")
    seed(api)
    assert api.client.get("/api/v1/cocktails/random?alcoholic=false").json()["name"] == "Virgin Mojito"
    ingredients = api.client.get("/api/v1/ingredients?prefix=so").json()
    assert ingredients["items"] == [{"name": "Soda water", "cocktails": 2}] and ingredients["total"] == 1
    categories = api.client.get("/api/v1/categories").json()
    assert categories["items"] == [{"name": "Cocktail", "cocktails": 3}, {"name": "Ordinary Drink", "cocktails": 1}]
    glasses = api.client.get("/api/v1/glasses/").json()
    assert glasses["total"] == 3
    assert_error(api.client.get("/api/v1/ingredients?limit=0"), 422, "validation_error")
