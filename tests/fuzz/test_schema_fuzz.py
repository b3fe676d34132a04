"""Schemathesis against our own OpenAPI schema, served by the real app (granian,
production settings otherwise) on a fresh PostgreSQL database, as a regular user
and as a superuser. Every operation, positive and negative data, every check.

Budget: FUZZ_EXAMPLES examples per operation and role (default 20 in `make test`,
`make fuzz` raises it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import hypothesis
import pytest
import schemathesis
from schemathesis.generation.modes import GenerationMode

from core.text import fold
from tests.conftest import SQL_DIR, TEST_SECRET
from tests.fake_llm import fake_llm

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
ADMIN = ("fuzz-admin@example.gov", "fuzz-admin-password")
USER = ("fuzz-user@example.gov", "fuzz-user-password")
STATS = {"cases": 0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llms() -> Iterator[tuple[str, str]]:
    """Loopback Ollama and OpenAI servers, so analyses reach a provider and never the internet."""
    with fake_llm("ollama") as ollama, fake_llm("openai") as openai:
        yield ollama.url, openai.url


@pytest.fixture(scope="module")
def server(pg_url: str, llms: tuple[str, str]) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": pg_url,
        "SECRET_KEY": TEST_SECRET,
        "SQL_DIR": str(SQL_DIR),
        "FIRST_SUPERUSER_EMAIL": ADMIN[0],
        "FIRST_SUPERUSER_PASSWORD": ADMIN[1],
        "LOG_LEVEL": "WARNING",
        "OLLAMA_BASE_URL": llms[0],
        "OPENAI_BASE_URL": llms[1],
        "OPENAI_API_KEY": "sk-fuzz",
        "RATE_LIMIT_PER_MINUTE": "0",
        "LOGIN_RATE_LIMIT_PER_MINUTE": "100000",
        "LOGIN_MAX_FAILURES": "100000",
        "REGISTRATION_RATE_LIMIT_PER_HOUR": "100000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start: " + (process.stderr.read() if process.stderr else ""))
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _token(base: str, email: str, password: str) -> str:
    response = httpx.post(f"{base}/api/v1/users/login/access-token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture(scope="module", params=["user", "superuser"])
def role(request, server: str) -> dict[str, str]:
    httpx.post(f"{server}/api/v1/users/open", json={"email": USER[0], "password": USER[1]})
    email, password = ADMIN if request.param == "superuser" else USER
    return {"Authorization": f"Bearer {_token(server, email, password)}"}


@pytest.fixture(scope="module")
def api_schema(server: str, role: dict[str, str]):
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
    )
    return schema


def breaks_a_rule_json_schema_cannot_state(case) -> bool:
    """Two rules the schema cannot express, so "valid" generated data may break
    them: a recipe names each ingredient once (ignoring case and accents), and a
    cursor is valid only when this API issued it. Such requests must get 422."""
    body = case.body if isinstance(case.body, dict) else {}
    ingredients = body.get("ingredients") if isinstance(body.get("ingredients"), list) else []
    keys = [fold(i["name"]) for i in ingredients if isinstance(i, dict) and isinstance(i.get("name"), str)]
    return len(keys) != len(set(keys)) or bool(case.query and "cursor" in case.query)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_api_conforms_to_its_schema(case, role: dict[str, str]) -> None:
    STATS["cases"] += 1
    headers = {**(case.headers or {}), **role}
    if breaks_a_rule_json_schema_cannot_state(case):
        response = case.call(headers=headers)
        if case.method.upper() == case.operation.method.upper():
            assert 400 <= response.status_code < 500, response.text
        else:  # the coverage phase also tries other methods (OPTIONS, TRACE) on the path
            assert response.status_code < 500, response.text
        return
    case.call_and_validate(headers=headers)


def test_report_fuzz_volume() -> None:
    """Not a check: prints how many cases ran (read by the closing note)."""
    print(f"\nschemathesis cases run: {STATS['cases']}")
