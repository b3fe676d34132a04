"""Logs, request ids and metrics, seen from outside."""

from __future__ import annotations

import json

import pytest

from tests.http.conftest import Api

SECRET_PASSWORD = "hunter2-very-secret-password"


@pytest.fixture
def json_api(make_api) -> Api:
    return make_api("memory", log_format="json", log_level="DEBUG")


def log_lines(capfd) -> list[dict]:
    out = capfd.readouterr().out
    lines = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_a_sane_request_id_is_echoed_and_bound_to_the_log_line(json_api: Api, capfd) -> None:
    capfd.readouterr()
    response = json_api.client.get("/api/v1/cocktails", headers={"X-Request-ID": "req-42.abc"})
    assert response.headers["x-request-id"] == "req-42.abc"
    access = [line for line in log_lines(capfd) if line.get("event") == "request"]
    assert access and access[-1]["request_id"] == "req-42.abc"
    assert access[-1]["path"] == "/api/v1/cocktails" and access[-1]["status"] == 200
    assert access[-1]["method"] == "GET" and isinstance(access[-1]["duration_ms"], float)


@pytest.mark.parametrize("offered", ["has spaces", "x" * 200, "quote\"s", ""])
def test_an_insane_request_id_is_replaced(json_api: Api, offered: str) -> None:
    response = json_api.client.get("/health", headers={"X-Request-ID": offered})
    assert response.headers["x-request-id"] != offered and len(response.headers["x-request-id"]) == 32


def test_access_lines_carry_the_route_template_and_the_user(json_api: Api, capfd) -> None:
    user_id, headers = json_api.user()
    capfd.readouterr()
    json_api.client.get(f"/api/v1/users/{user_id}", headers=headers)
    access = [line for line in log_lines(capfd) if line.get("event") == "request"][-1]
    assert access["path"] == "/api/v1/users/{user_id}" and access["user_id"] == user_id


def test_passwords_tokens_and_authorization_never_reach_a_log_line(json_api: Api, capfd) -> None:
    capfd.readouterr()
    json_api.register("ann@example.gov", SECRET_PASSWORD)
    login = json_api.login("ann@example.gov", SECRET_PASSWORD)
    token = login.json()["access_token"]
    json_api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    json_api.login("ann@example.gov", SECRET_PASSWORD + "-wrong")
    json_api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}x"})
    import logging

    logging.getLogger("opengov_food.test").warning(
        "pretend a library logged this: Authorization: Bearer %s", token,
        extra={"password": SECRET_PASSWORD, "authorization": f"Bearer {token}"},
    )  # fmt: skip
    out = capfd.readouterr().out
    assert out.count('"event"') >= 5
    assert SECRET_PASSWORD not in out
    assert token not in out and token.split(".")[1] not in out
    assert "[redacted]" in out


def test_a_password_in_free_text_is_not_logged_by_us(json_api: Api, capfd) -> None:
    capfd.readouterr()
    json_api.register("bob@example.gov", SECRET_PASSWORD)
    json_api.login("bob@example.gov", SECRET_PASSWORD)
    assert SECRET_PASSWORD not in capfd.readouterr().out


def test_unhandled_errors_are_logged_with_traceback_but_answer_only_500(make_api, capfd) -> None:
    api = make_api("memory", log_format="json")

    async def broken() -> None:
        raise RuntimeError("boom in the database layer")

    api.container.database.ping = broken  # a fault, not a DomainError
    capfd.readouterr()
    response = api.client.get("/health/ready")
    assert response.status_code == 500
    assert response.json()["type"] == "internal_error" and "boom" not in response.text
    errors = [line for line in log_lines(capfd) if line.get("level") == "error"]
    assert errors and "boom in the database layer" in errors[-1]["exception"]


def test_metrics_expose_requests_latency_in_flight_pool_and_logins(make_api) -> None:
    api = make_api("postgres")
    api.user()
    api.login("ann@example.gov", "wrong password")
    api.client.get("/api/v1/cocktails")
    api.client.get("/wp-admin/probe-1234")
    api.client.request("BREW", "/api/v1/cocktails")
    text = api.client.get("/metrics").text
    for series in (
        "opengov_food_requests_total",
        "opengov_food_request_duration_seconds_bucket",
        "opengov_food_requests_in_progress",
        "opengov_food_db_pool_size",
        "opengov_food_db_pool_available",
        "opengov_food_db_pool_waiting",
        'opengov_food_logins_total{outcome="success"}',
        'opengov_food_logins_total{outcome="failure"}',
    ):
        assert series in text, series
    assert 'path="/api/v1/cocktails"' in text
    # Unrouted paths and unknown methods share one label each: probing cannot add series.
    assert 'path="unmatched"' in text and "probe-1234" not in text
    assert 'method="OTHER"' in text and "BREW" not in text
    assert 'path="/metrics"' not in text
