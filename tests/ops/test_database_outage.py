"""A real PostgreSQL going away and coming back, on a throwaway cluster of our own
(another port, started with initdb/pg_ctl as the postgres user), so the shared
server is left alone."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

from adapters.postgres import migrate
from tests.conftest import SQL_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries or shutil.which("runuser") is None:
            pytest.skip("initdb/pg_ctl (or runuser) not available for a throwaway cluster")
        self.bin = os.path.dirname(binaries[-1])
        self.dir = tempfile.mkdtemp(prefix="ogf-pg-", dir="/tmp")
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres(f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres")

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-o", options, "-l", f"{self.dir}/log", "-w", "start")

    def stop(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pg = Cluster()
    pg.start()
    asyncio.run(migrate(pg.url, SQL_DIR / "postgres"))
    try:
        yield pg
    finally:
        pg.remove()


def _eventually(check, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("the service did not recover")


def test_outage_gives_503_and_the_service_recovers_by_itself(cluster: Cluster, make_api) -> None:
    api = make_api("memory", database_url=cluster.url, db_pool_timeout=1.0)
    assert api.register("ann@example.gov").status_code == 201

    cluster.stop()
    during = api.client.post(
        "/api/v1/users/open", json={"email": "bob@example.gov", "password": "correct horse"}, timeout=20
    )
    assert during.status_code == 503 and during.json()["type"] == "unavailable"
    assert "Traceback" not in during.text and "psycopg" not in during.text
    assert api.client.get("/health").status_code == 200
    ready = api.client.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unavailable"

    cluster.start()
    _eventually(lambda: api.client.get("/health/ready").status_code == 200)
    _eventually(lambda: api.register("bob@example.gov").status_code == 201)
    assert api.login("ann@example.gov", "correct horse").status_code == 200


def test_the_server_starts_while_the_database_is_down(cluster: Cluster, make_api) -> None:
    cluster.stop()
    api = make_api("memory", database_url=cluster.url, db_pool_timeout=1.0)
    assert api.client.get("/health").status_code == 200
    assert api.client.get("/health/ready").status_code == 503
    assert api.client.get("/api/v1/cocktails", timeout=20).status_code == 503
    cluster.start()
    _eventually(lambda: api.client.get("/api/v1/cocktails").status_code == 200)
    # The first superuser is ensured on the next start; this one keeps serving.
    assert api.client.get("/health/ready").json()["checks"] == {"database": "ok"}
