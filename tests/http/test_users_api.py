"""The users API end to end through Litestar, on PostgreSQL."""

from __future__ import annotations

import base64
import json
import time

import pytest

from adapters.security import JwtTokenIssuer
from core.identity import TokenClaims
from tests.conftest import TEST_SECRET
from tests.http.conftest import ADMIN_EMAIL, Api

ERROR_KEYS = {"detail", "type", "timestamp"}


def assert_error(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert ERROR_KEYS <= set(body) and body["type"] == kind
    assert set(body) <= ERROR_KEYS | {"errors"}
    return body


# -- registration ------------------------------------------------------------


def test_register_returns_201_with_the_public_user_and_no_secrets(api: Api) -> None:
    response = api.register("Ann@Example.gov", "correct horse", full_name="Ann")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "full_name", "is_active", "is_superuser", "created_at", "updated_at"}
    assert body["email"] == "ann@example.gov" and body["is_active"] and not body["is_superuser"]
    assert "argon2" not in response.text and "correct horse" not in response.text


def test_register_with_a_taken_email_in_any_case_is_409(api: Api) -> None:
    api.register("ann@example.gov")
    body = assert_error(api.register("ANN@EXAMPLE.GOV"), 409, "conflict")
    assert "already exists" in body["detail"]


def test_register_is_403_when_open_registration_is_off(make_api) -> None:
    closed = make_api("postgres", users_open_registration=False)
    assert_error(closed.register(), 403, "forbidden")


def test_register_cannot_make_a_superuser(api: Api) -> None:
    body = assert_error(api.register(is_superuser=True), 422, "validation_error")
    assert "is_superuser" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": "correct horse"}, "email"),
        ({"email": "ann@example.gov", "password": "short"}, "password"),
        ({"email": "ann@example.gov", "password": 12345678}, "password"),
        ({"email": "ann@example.gov"}, "body"),
        ({"email": "a" * 10_000 + "@example.gov", "password": "correct horse"}, "email"),
    ],
)
def test_register_with_invalid_fields_is_422_naming_the_field(api: Api, payload, field) -> None:
    body = assert_error(api.client.post("/api/v1/users/open", json=payload), 422, "validation_error")
    assert body["errors"][0]["field"] == field


@pytest.mark.parametrize("raw", [b"{bad json", b"", b"[]", b"null", b'"text"'])
def test_register_with_malformed_json_is_422(api: Api, raw: bytes) -> None:
    response = api.client.post("/api/v1/users/open", content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 422, "validation_error")


# -- login -------------------------------------------------------------------


def test_login_returns_a_bearer_token_that_is_not_cached(api: Api) -> None:
    api.register()
    response = api.login("ANN@example.gov", "correct horse")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"].count(".") == 2
    assert response.headers["cache-control"] == "no-store"


def test_wrong_password_and_unknown_email_get_the_same_401(api: Api) -> None:
    api.register()
    wrong = assert_error(api.login("ann@example.gov", "wrong horse"), 401, "authentication_failed")
    unknown = assert_error(api.login("nobody@example.gov", "correct horse"), 401, "authentication_failed")
    assert wrong["detail"] == unknown["detail"] == "Incorrect email or password."


def test_inactive_user_cannot_log_in(api: Api) -> None:
    user_id, _ = api.user()
    api.client.put(f"/api/v1/users/{user_id}", json={"is_active": False}, headers=api.admin())
    assert_error(api.login("ann@example.gov", "correct horse"), 403, "forbidden")


def test_login_without_a_password_is_422(api: Api) -> None:
    response = api.client.post("/api/v1/users/login/access-token", data={"username": "ann@example.gov"})
    assert_error(response, 422, "validation_error")


def test_login_with_another_grant_type_is_422(api: Api) -> None:
    api.register()
    response = api.client.post(
        "/api/v1/users/login/access-token",
        data={"username": "ann@example.gov", "password": "correct horse", "grant_type": "client_credentials"},
    )
    assert_error(response, 422, "validation_error")


# -- tokens --------------------------------------------------------------------


def _token(secret: str = TEST_SECRET, **overrides: object) -> str:
    now = int(time.time())
    claims = {"sub": "2", "ver": 0, "iat": now, "exp": now + 600, **overrides}
    return JwtTokenIssuer(secret).issue(TokenClaims(**claims))  # type: ignore[arg-type]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_me_returns_the_caller(api: Api) -> None:
    user_id, headers = api.user()
    response = api.client.get("/api/v1/users/me", headers=headers)
    assert response.status_code == 200 and response.json()["id"] == user_id


def test_me_without_a_token_is_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.client.get("/api/v1/users/me")
    assert_error(response, 401, "authentication_failed")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("kind", ["expired", "foreign_key", "tampered", "alg_none", "garbage", "basic_scheme", "future"])
def test_unusable_tokens_are_401(api: Api, kind: str) -> None:
    user_id, headers = api.user()
    good = headers["Authorization"].removeprefix("Bearer ")
    now = int(time.time())
    token = {
        "expired": lambda: _token(sub=str(user_id), iat=now - 7200, exp=now - 3600),
        "foreign_key": lambda: _token("some-other-secret-key-with-enough-length", sub=str(user_id)),
        "tampered": lambda: good.split(".")[0]
        + "."
        + _b64({"sub": str(user_id), "ver": 0, "iat": now, "exp": now + 99999})
        + "."
        + good.split(".")[2],
        "alg_none": lambda: _b64({"alg": "none", "typ": "JWT"})
        + "."
        + _b64({"sub": str(user_id), "ver": 0, "iat": now, "exp": now + 600})
        + ".",
        "garbage": lambda: "not-a-token",
        "basic_scheme": lambda: None,
        "future": lambda: _token(sub=str(user_id), iat=now + 3600, exp=now + 7200),
    }[kind]()
    auth = "Basic YW5uOnB3" if token is None else f"Bearer {token}"
    assert_error(api.client.get("/api/v1/users/me", headers={"Authorization": auth}), 401, "authentication_failed")


def test_token_for_a_user_that_does_not_exist_is_401(api: Api) -> None:
    response = api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {_token(sub='999999')}"})
    assert_error(response, 401, "authentication_failed")


# -- own profile -----------------------------------------------------------------


def test_update_me_changes_name_and_email(api: Api) -> None:
    _, headers = api.user()
    response = api.client.put("/api/v1/users/me", json={"full_name": "Ann Smith", "email": "Ann.S@example.gov"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["full_name"] == "Ann Smith" and response.json()["email"] == "ann.s@example.gov"


@pytest.mark.parametrize("field", [{"is_superuser": True}, {"is_active": True}, {"id": 99}])
def test_update_me_cannot_set_privileged_fields(api: Api, field: dict) -> None:
    _, headers = api.user()
    assert_error(api.client.put("/api/v1/users/me", json=field, headers=headers), 422, "validation_error")
    assert api.client.get("/api/v1/users/me", headers=headers).json()["is_superuser"] is False


def test_password_change_needs_the_current_password_and_revokes_old_tokens(api: Api) -> None:
    _, headers = api.user()
    missing = api.client.put("/api/v1/users/me", json={"password": "new password"}, headers=headers)
    assert "current_password" in assert_error(missing, 403, "forbidden")["detail"]
    wrong = api.client.put("/api/v1/users/me", json={"password": "new password", "current_password": "nope"}, headers=headers)
    assert_error(wrong, 403, "forbidden")
    ok = api.client.put(
        "/api/v1/users/me", json={"password": "new password", "current_password": "correct horse"}, headers=headers
    )
    assert ok.status_code == 200
    assert_error(api.client.get("/api/v1/users/me", headers=headers), 401, "authentication_failed")
    assert api.login("ann@example.gov", "new password").status_code == 200


def test_update_me_to_a_taken_email_is_409(api: Api) -> None:
    api.user("bob@example.gov")
    _, headers = api.user()
    assert_error(api.client.put("/api/v1/users/me", json={"email": "BOB@example.gov"}, headers=headers), 409, "conflict")


# -- administration ------------------------------------------------------------------


def test_superuser_lists_users_in_the_envelope(api: Api) -> None:
    api.user()
    response = api.client.get("/api/v1/users/?skip=0&limit=1", headers=api.admin())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "total", "skip", "limit"}
    assert body["total"] == 2 and body["skip"] == 0 and body["limit"] == 1
    assert body["items"][0]["email"] == ADMIN_EMAIL


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "skip=-1", "limit=abc"])
def test_list_users_with_a_bad_page_is_422(api: Api, query: str) -> None:
    assert_error(api.client.get(f"/api/v1/users?{query}", headers=api.admin()), 422, "validation_error")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/users", None),
        ("post", "/api/v1/users", {"email": "x@example.gov", "password": "password1"}),
        ("put", "/api/v1/users/1", {"is_superuser": False}),
    ],
)
def test_regular_users_get_403_on_superuser_endpoints(api: Api, method: str, path: str, body) -> None:
    _, headers = api.user()
    response = api.client.request(method, path, json=body, headers=headers)
    assert_error(response, 403, "forbidden")


def test_superuser_creates_a_user_who_can_log_in(api: Api) -> None:
    response = api.client.post(
        "/api/v1/users",
        json={"email": "Inspector@example.gov", "password": "password1", "full_name": "I", "is_superuser": True},
        headers=api.admin(),
    )
    assert response.status_code == 201 and response.json()["is_superuser"] is True
    assert api.login("inspector@example.gov", "password1").status_code == 200
    again = api.client.post("/api/v1/users", json={"email": "INSPECTOR@example.gov", "password": "password1"}, headers=api.admin())
    assert_error(again, 409, "conflict")


def test_users_read_themselves_but_not_others(api: Api) -> None:
    bob_id, _ = api.user("bob@example.gov")
    ann_id, headers = api.user()
    assert api.client.get(f"/api/v1/users/{ann_id}", headers=headers).status_code == 200
    assert_error(api.client.get(f"/api/v1/users/{bob_id}", headers=headers), 403, "forbidden")
    assert api.client.get(f"/api/v1/users/{bob_id}", headers=api.admin()).status_code == 200
    assert_error(api.client.get("/api/v1/users/424242", headers=api.admin()), 404, "not_found")


def test_superuser_deactivation_revokes_tokens_and_grant_makes_a_superuser(api: Api) -> None:
    user_id, headers = api.user()
    admin = api.admin()
    granted = api.client.put(f"/api/v1/users/{user_id}", json={"is_superuser": True}, headers=admin)
    assert granted.status_code == 200 and granted.json()["is_superuser"] is True
    assert api.client.get("/api/v1/users", headers=headers).status_code == 200
    deactivated = api.client.put(f"/api/v1/users/{user_id}", json={"is_active": False}, headers=admin)
    assert deactivated.json()["is_active"] is False
    assert_error(api.client.get("/api/v1/users/me", headers=headers), 401, "authentication_failed")


def test_update_unknown_user_is_404(api: Api) -> None:
    assert_error(api.client.put("/api/v1/users/424242", json={"full_name": "x"}, headers=api.admin()), 404, "not_found")


def test_superuser_cannot_demote_themselves(api: Api) -> None:
    admin = api.admin()
    me = api.client.get("/api/v1/users/me", headers=admin).json()
    assert_error(api.client.put(f"/api/v1/users/{me['id']}", json={"is_superuser": False}, headers=admin), 403, "forbidden")


# -- the rest of the surface -----------------------------------------------------------


def test_paths_answer_with_and_without_a_trailing_slash(api: Api) -> None:
    _, headers = api.user()
    assert api.client.get("/api/v1/users/me/", headers=headers).status_code == 200
    assert api.client.get("/api/v1/users/me", headers=headers).status_code == 200


def test_unknown_paths_and_methods_use_the_error_shape(api: Api) -> None:
    assert_error(api.client.get("/nope"), 404, "not_found")
    assert_error(api.client.get("/api/v1/nope"), 404, "not_found")
    assert_error(api.client.delete("/api/v1/users/me"), 405, "method_not_allowed")


def test_health_is_live_and_ready(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok", "checks": {}}
    ready = api.client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}


def test_openapi_schema_and_docs_offer_the_oauth2_password_flow(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    flow = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["tokenUrl"] == "/api/v1/users/login/access-token"
    assert schema["paths"]["/api/v1/users/me"]["get"]["security"] == [{"OAuth2PasswordBearer": []}]
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
