"""An app per test, built by the real composition root, and helpers to drive it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient

from entrypoints.asgi import create_app
from entrypoints.bootstrap import build
from tests.conftest import settings_for

ADMIN_EMAIL = "root@example.gov"
ADMIN_PASSWORD = "root-password-123"


class Api:
    """A TestClient with the few steps every test repeats."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.container = None

    def register(self, email: str = "ann@example.gov", password: str = "correct horse", **extra: object):
        return self.client.post("/api/v1/users/open", json={"email": email, "password": password, **extra})

    def login(self, email: str, password: str):
        return self.client.post("/api/v1/users/login/access-token", data={"username": email, "password": password})

    def auth(self, email: str = "ann@example.gov", password: str = "correct horse") -> dict[str, str]:
        response = self.login(email, password)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def user(self, email: str = "ann@example.gov", password: str = "correct horse") -> tuple[int, dict[str, str]]:
        created = self.register(email, password)
        assert created.status_code == 201, created.text
        return created.json()["id"], self.auth(email, password)

    def admin(self) -> dict[str, str]:
        return self.auth(ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def make_api(request: pytest.FixtureRequest) -> Iterator[Callable[..., Api]]:
    """``make_api(storage="postgres", **settings)`` -> a started app, closed after the test."""
    opened: list[TestClient] = []

    def make(storage: str = "postgres", analyzers: dict | None = None, **overrides: object) -> Api:
        overrides.setdefault("first_superuser_email", ADMIN_EMAIL)
        overrides.setdefault("first_superuser_password", ADMIN_PASSWORD)
        container = build(settings_for(storage, request, **overrides), analyzers=analyzers)
        client = TestClient(create_app(container=container), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        api = Api(client)
        api.container = container
        return api

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    """The app on PostgreSQL, with a first superuser."""
    return make_api("postgres")
