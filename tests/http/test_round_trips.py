"""Database round trips per request, counted on the real PostgreSQL connection.

Every statement goes through ``AsyncCursor.execute`` (``conn.execute`` too),
one round trip each outside pipeline mode; wrapping it counts what a request
costs without changing what it does. The caller behind a token is confirmed in the
same statement as the work, so reads, lists and creates cost one round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest

from tests.http.conftest import Api


@pytest.fixture
def count_round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[], object]], tuple[int, object]]]:
    original = psycopg.AsyncCursor.execute
    calls = 0

    async def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted)

    def measure(request: Callable[[], object]) -> tuple[int, object]:
        nonlocal calls
        calls = 0
        response = request()
        return calls, response

    yield measure


def test_one_round_trip_per_request_including_the_caller(make_api: Callable[..., Api], count_round_trips) -> None:
    api = make_api("postgres")
    _, ann = api.user()
    created = api.client.post("/api/v1/items/", json={"title": "Kitchen"}, headers=ann).json()
    url = f"/api/v1/items/{created['id']}"
    api.client.get("/api/v1/cocktails")  # warm the pool: opening connections is not a round trip of a request

    expectations = {
        "GET /users/me": (lambda: api.client.get("/api/v1/users/me", headers=ann), 200, 1),
        "GET one item": (lambda: api.client.get(url, headers=ann), 200, 1),
        "list own items": (lambda: api.client.get("/api/v1/items/?limit=20", headers=ann), 200, 1),
        "create an item": (lambda: api.client.post("/api/v1/items/", json={"title": "Bar"}, headers=ann), 201, 1),
        "someone else's or no item": (lambda: api.client.get("/api/v1/items/424242", headers=ann), 404, 1),
        "cocktail search with total": (lambda: api.client.get("/api/v1/cocktails?q=gin&ingredient=Lime"), 200, 1),
        # A status change reads the current status (the workflow decides from it), then
        # writes only if the version is still the one read: two statements.
        "status change with If-Match": (
            lambda: api.client.patch(url, json={"status": "in_progress"}, headers={**ann, "If-Match": '"1"'}),
            200,
            2,
        ),
    }
    for name, (request, status, trips) in expectations.items():
        counted, response = count_round_trips(request)
        assert response.status_code == status, (name, response.text)  # type: ignore[attr-defined]
        assert counted == trips, f"{name}: {counted} round trips, expected {trips}"


def test_a_refused_token_costs_one_round_trip_and_writes_nothing(make_api: Callable[..., Api], count_round_trips) -> None:
    api = make_api("postgres")
    user_id, ann = api.user()
    api.client.put("/api/v1/users/me", json={"password": "another horse", "current_password": "correct horse"}, headers=ann)
    counted, response = count_round_trips(lambda: api.client.post("/api/v1/items/", json={"title": "Ghost"}, headers=ann))
    assert response.status_code == 401 and counted == 1  # type: ignore[attr-defined]
    fresh = api.auth("ann@example.gov", "another horse")
    assert api.client.get("/api/v1/items/", headers=fresh).json()["total"] == 0
