"""Inspection items end to end through Litestar, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.asgi import create_app
from entrypoints.bootstrap import build
from tests.conftest import settings_for
from tests.http.conftest import Api
from tests.http.test_users_api import assert_error


@pytest.fixture(params=["postgres", "sqlite"])
def api(request, make_api) -> Api:
    return make_api(request.param)


def new_item(api: Api, headers: dict, **body: object):
    return api.client.post("/api/v1/items/", json={"title": "Kitchen inspection", "description": "Walk-in fridge", **body}, headers=headers)


def test_a_seed_client_works_unchanged(api: Api) -> None:
    """Form login, then POST /api/v1/items/ with {title, description} and a bearer token."""
    api.register("inspector@example.gov", "inspector-pass")
    token = api.client.post(
        "/api/v1/users/login/access-token", data={"username": "inspector@example.gov", "password": "inspector-pass"}
    ).json()["access_token"]
    response = api.client.post(
        "/api/v1/items/", json={"title": "Bakery", "description": "Annual check"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["description"], body["status"]) == ("Bakery", "Annual check", "pending")
    assert response.headers["etag"] == '"1"'


def test_items_need_a_login(api: Api) -> None:
    assert_error(api.client.get("/api/v1/items/"), 401, "authentication_failed")
    assert_error(api.client.post("/api/v1/items/", json={"title": "x"}), 401, "authentication_failed")
    assert_error(api.client.get("/api/v1/items/1"), 401, "authentication_failed")


def test_owner_is_always_the_caller(api: Api) -> None:
    ann_id, ann = api.user()
    body = assert_error(new_item(api, ann, owner_id=999), 422, "validation_error")
    assert "owner_id" in body["detail"]
    assert new_item(api, ann).json()["owner_id"] == ann_id


def test_someone_elses_item_answers_404_for_read_update_and_delete(api: Api) -> None:
    _, ann = api.user()
    _, bob = api.user("bob@example.gov")
    url = f"/api/v1/items/{new_item(api, bob).json()['id']}"
    assert_error(api.client.get(url, headers=ann), 404, "not_found")
    assert_error(api.client.put(url, json={"title": "mine"}, headers=ann), 404, "not_found")
    assert_error(api.client.patch(url, json={"status": "cancelled"}, headers=ann), 404, "not_found")
    assert_error(api.client.delete(url, headers=ann), 404, "not_found")
    assert api.client.get(url, headers=bob).json()["title"] == "Kitchen inspection"
    assert api.client.get(url, headers=api.admin()).status_code == 200


def test_status_workflow_over_http(api: Api) -> None:
    _, ann = api.user()
    url = f"/api/v1/items/{new_item(api, ann).json()['id']}"
    body = assert_error(api.client.patch(url, json={"status": "completed"}, headers=ann), 409, "conflict")
    assert "cancelled, in_progress" in body["detail"]
    assert api.client.put(url, json={"status": "in_progress"}, headers=ann).json()["status"] == "in_progress"
    assert api.client.patch(url, json={"status": "completed"}, headers=ann).json()["status"] == "completed"
    assert_error(api.client.patch(url, json={"status": "in_progress"}, headers=ann), 409, "conflict")
    reopened = api.client.patch(url, json={"status": "in_progress"}, headers=api.admin())
    assert reopened.status_code == 200 and reopened.json()["version"] == 4


def test_stale_if_match_is_412(api: Api) -> None:
    _, ann = api.user()
    url = f"/api/v1/items/{new_item(api, ann).json()['id']}"
    assert api.client.get(url, headers={**ann, "If-None-Match": '"1"'}).status_code == 304
    assert api.client.patch(url, json={"description": "v2"}, headers={**ann, "If-Match": '"1"'}).status_code == 200
    assert_error(api.client.patch(url, json={"status": "cancelled"}, headers={**ann, "If-Match": '"1"'}), 412, "precondition_failed")
    assert_error(api.client.delete(url, headers={**ann, "If-Match": '"1"'}), 412, "precondition_failed")
    assert api.client.delete(url, headers={**ann, "If-Match": '"2"'}).status_code == 204
    assert_error(api.client.get(url, headers=ann), 404, "not_found")


def test_list_filters_and_envelope(api: Api) -> None:
    _, ann = api.user()
    _, bob = api.user("bob@example.gov")
    for title in ("Bakery Müller", "Fish market", "Café central"):
        new_item(api, ann, title=title)
    new_item(api, bob, title="Bob's diner")
    listed = api.client.get("/api/v1/items/", headers=ann).json()
    assert set(listed) == {"items", "total", "skip", "limit"} and listed["limit"] == 100
    assert [i["title"] for i in listed["items"]] == ["Café central", "Fish market", "Bakery Müller"]
    assert [i["title"] for i in api.client.get("/api/v1/items?search=muller", headers=ann).json()["items"]] == ["Bakery Müller"]
    assert [i["title"] for i in api.client.get("/api/v1/items?sort=created_at&limit=1&skip=1", headers=ann).json()["items"]] == ["Fish market"]
    everyone = api.client.get("/api/v1/items", headers=api.admin()).json()
    assert everyone["total"] == 4
    bob_id = api.client.get("/api/v1/users/me", headers=bob).json()["id"]
    only_bob = api.client.get(f"/api/v1/items?owner_id={bob_id}", headers=api.admin()).json()
    assert [i["title"] for i in only_bob["items"]] == ["Bob's diner"]
    assert_error(api.client.get(f"/api/v1/items?owner_id={bob_id}", headers=ann), 403, "forbidden")
    assert api.client.get("/api/v1/items?status=pending&status=cancelled", headers=ann).json()["total"] == 3


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "sort=title", "limit=0", "limit=1001", "skip=-1", "created_after=yesterday", "owner_id=0",
     "created_before=0.5", "created_after=2026-01-01T00:00:00", "search=" + "x" * 101],
)  # fmt: skip
def test_bad_filter_values_are_422(api: Api, query: str) -> None:
    _, ann = api.user()
    assert_error(api.client.get(f"/api/v1/items?{query}", headers=ann), 422, "validation_error")


@pytest.mark.parametrize(
    "body", [{"title": ""}, {"title": "x" * 101}, {"description": "x" * 1001}, {"status": "done"}, {"score": 101}, {"title": 5}]
)
def test_bad_item_bodies_are_422(api: Api, body: dict) -> None:
    _, ann = api.user()
    assert_error(api.client.post("/api/v1/items/", json={"title": "ok", **body}, headers=ann), 422, "validation_error")


def test_deactivated_users_items_stay_and_superusers_still_see_them(api: Api) -> None:
    ann_id, ann = api.user()
    item = new_item(api, ann).json()
    api.client.put(f"/api/v1/users/{ann_id}", json={"is_active": False}, headers=api.admin())
    kept = api.client.get(f"/api/v1/items/{item['id']}", headers=api.admin())
    assert kept.status_code == 200 and kept.json()["owner_id"] == ann_id


async def test_concurrent_status_changes_cannot_both_win(request) -> None:
    """Real concurrent requests on PostgreSQL: of two racing moves from in_progress,
    exactly one lands; the other gets 409 (no If-Match) or 412 (with If-Match)."""
    container = build(settings_for("postgres", request))
    async with AsyncTestClient(create_app(container=container)) as client:
        await client.post("/api/v1/users/open", json={"email": "ann@example.gov", "password": "correct horse"})
        login = await client.post(
            "/api/v1/users/login/access-token", data={"username": "ann@example.gov", "password": "correct horse"}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for use_if_match in (False, True, False, True, False, True):
            created = await client.post("/api/v1/items/", json={"title": "race"}, headers=headers)
            url = f"/api/v1/items/{created.json()['id']}"
            started = await client.patch(url, json={"status": "in_progress"}, headers=headers)
            extra = {"If-Match": started.headers["etag"]} if use_if_match else {}
            responses = await asyncio.gather(
                client.patch(url, json={"status": "completed"}, headers={**headers, **extra}),
                client.patch(url, json={"status": "cancelled"}, headers={**headers, **extra}),
            )
            codes = sorted(r.status_code for r in responses)
            assert codes == [200, 412 if use_if_match else 409], [r.text for r in responses]
            winner = next(r for r in responses if r.status_code == 200).json()["status"]
            final = (await client.get(url, headers=headers)).json()
            assert final["status"] == winner and final["version"] == 3
