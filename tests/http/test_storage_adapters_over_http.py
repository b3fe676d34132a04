"""The same register -> login -> /me flow on every storage adapter, and what
happens when the database is down."""

from __future__ import annotations

import pytest

from tests.conftest import STORAGES


@pytest.mark.parametrize("storage", STORAGES)
def test_register_login_me_works_on_every_storage(make_api, storage: str) -> None:
    api = make_api(storage)
    user_id, headers = api.user()
    me = api.client.get("/api/v1/users/me", headers=headers)
    assert me.status_code == 200 and me.json()["id"] == user_id
    assert api.register("ANN@example.gov").status_code == 409
    listed = api.client.get("/api/v1/users", headers=api.admin()).json()
    assert listed["total"] == 2
    assert api.client.get("/health/ready").status_code == 200


def test_unreachable_database_gives_503_not_500(make_api) -> None:
    api = make_api("memory", database_url="postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=1")
    ready = api.client.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["checks"] == {"database": "unavailable"}
    assert api.client.get("/health").status_code == 200
    response = api.register()
    assert response.status_code == 503 and response.json()["type"] == "unavailable"
    assert "127.0.0.1" not in response.text and "psycopg" not in response.text
