"""Rate limits, client addresses, security headers, hosts, CORS and body limits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import redis

from adapters.http.edge import EdgeMiddleware
from adapters.http.protection import ClientAddress, Limiter, Limits
from adapters.memory.counters import MemoryCounterStore
from tests.conftest import SQL_DIR, TEST_SECRET

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_login_attempts_per_address_are_limited_with_retry_after(make_api) -> None:
    api = make_api("memory", login_rate_limit_per_minute=3)
    api.register()
    codes = [api.login("ann@example.gov", "correct horse").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.login("ann@example.gov", "correct horse")
    assert limited.json()["type"] == "rate_limited" and 0 < int(limited.headers["retry-after"]) <= 60


def test_failed_logins_lock_the_account_but_not_others(make_api) -> None:
    api = make_api("memory", login_max_failures=2)
    api.register()
    api.register("bob@example.gov")
    assert [api.login("ann@example.gov", "wrong").status_code for _ in range(2)] == [401, 401]
    locked = api.login("ann@example.gov", "correct horse")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert api.login("bob@example.gov", "correct horse").status_code == 200


def test_registrations_per_address_are_limited(make_api) -> None:
    api = make_api("memory", registration_rate_limit_per_hour=2)
    codes = [api.register(f"u{i}@example.gov").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_the_general_limit_spares_health_checks(make_api) -> None:
    api = make_api("memory", rate_limit_per_minute=3)
    codes = [api.client.get("/api/v1/cocktails").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert api.client.get("/health").status_code == 200
    assert api.client.get("/health/ready").status_code == 200


def test_forwarded_addresses_are_believed_only_from_trusted_proxies() -> None:
    resolver = ClientAddress(["10.0.0.0/8"])
    forwarded = {"x-forwarded-for": "203.0.113.7, 10.1.2.3"}
    assert resolver.resolve("198.51.100.1", forwarded) == "198.51.100.1"
    assert resolver.resolve("10.9.9.9", forwarded) == "203.0.113.7"
    assert resolver.resolve("10.9.9.9", {"fly-client-ip": "203.0.113.9", **forwarded}) == "203.0.113.9"
    assert resolver.resolve("10.9.9.9", {"x-forwarded-for": "not-an-ip"}) == "10.9.9.9"
    assert ClientAddress([]).resolve("10.9.9.9", forwarded) == "10.9.9.9"


def test_security_headers_on_every_response(make_api) -> None:
    api = make_api("memory")
    for response in (api.client.get("/health"), api.client.get("/nope"), api.client.get("/docs")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "cdn.jsdelivr.net" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers  # plain HTTP here


async def _call_edge(proto: str, *, peer: str = "10.0.0.5", redirect: bool = True) -> tuple[dict, bool]:
    called = False

    async def inner(scope, receive, send) -> None:
        nonlocal called
        called = True
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    edge = EdgeMiddleware(
        inner, limiter=Limiter(MemoryCounterStore(), Limits(per_minute=0)),
        client_address=ClientAddress(["10.0.0.0/8"]), redirect_to_https=redirect,
    )  # fmt: skip
    scope = {
        "type": "http", "method": "GET", "path": "/api/v1/cocktails", "query_string": b"q=x", "scheme": "http",
        "client": (peer, 1234), "headers": [(b"host", b"api.example.gov"), (b"x-forwarded-proto", proto.encode())],
    }  # fmt: skip
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await edge(scope, None, send)
    start = sent[0]
    return {"status": start["status"], **{k.decode(): v.decode() for k, v in start["headers"]}}, called


async def test_production_redirects_plain_http_arriving_through_a_trusted_proxy() -> None:
    response, called = await _call_edge("http")
    assert response["status"] == 308 and response["location"] == "https://api.example.gov/api/v1/cocktails?q=x"
    assert not called


async def test_https_through_a_trusted_proxy_gets_hsts() -> None:
    response, called = await _call_edge("https")
    assert called and response["status"] == 200
    assert response["strict-transport-security"].startswith("max-age=")


async def test_forwarded_proto_from_an_untrusted_peer_is_ignored() -> None:
    response, called = await _call_edge("http", peer="198.51.100.1")
    assert called and response["status"] == 200 and "strict-transport-security" not in response


def test_allowed_hosts_refuse_other_host_names(make_api) -> None:
    api = make_api("memory", allowed_hosts="api.example.gov,*.fly.dev")
    assert api.client.get("/health", headers={"Host": "api.example.gov"}).status_code == 200
    assert api.client.get("/health", headers={"Host": "opengov.fly.dev"}).status_code == 200
    refused = api.client.get("/health", headers={"Host": "evil.example.com"})
    assert refused.status_code == 400 and refused.json()["type"] == "invalid_host"


def test_cors_allows_only_configured_origins(make_api) -> None:
    api = make_api("memory", backend_cors_origins="https://app.example.gov")
    preflight = {"Origin": "https://app.example.gov", "Access-Control-Request-Method": "POST"}
    allowed = api.client.options("/api/v1/cocktails", headers=preflight)
    assert allowed.headers.get("access-control-allow-origin") == "https://app.example.gov"
    other = api.client.get("/api/v1/cocktails", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers


def test_bodies_over_the_limit_get_413(make_api) -> None:
    api = make_api("memory", max_body_size=2048)
    response = api.client.post("/api/v1/users/open", content=b'{"email": "' + b"a" * 5000 + b'"}',
                               headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 413 and response.json()["type"] == "request_too_large"


# -- one budget across processes -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_ready(base: str) -> None:
    for _ in range(100):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not start")


def test_two_processes_on_one_redis_hold_the_limit_exactly(tmp_path) -> None:
    try:
        store = redis.Redis.from_url(REDIS_URL)
        store.flushdb()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    limit = 30
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "SECRET_KEY": TEST_SECRET,
        "SQL_DIR": str(SQL_DIR),
        "STORE_URL": REDIS_URL,
        "RATE_LIMIT_PER_MINUTE": str(limit),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "-m", "entrypoints.cli", "db", "migrate"], env={**os.environ, **env}, check=True,
                   capture_output=True)  # fmt: skip
    ports = [_free_port(), _free_port()]
    servers = [_serve(port, env) for port in ports]
    try:
        for port in ports:
            _wait_ready(f"http://127.0.0.1:{port}")
        ready = httpx.get(f"http://127.0.0.1:{ports[0]}/health/ready").json()
        assert ready["checks"] == {"database": "ok", "store": "ok"}
        urls = [f"http://127.0.0.1:{ports[i % 2]}/api/v1/categories" for i in range(3 * limit)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(lambda url: httpx.get(url, timeout=10).status_code, urls))
        assert codes.count(200) == limit and codes.count(429) == 2 * limit
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        store.flushdb()
