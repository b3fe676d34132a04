"""Migrations apply once, in order, even when two processes migrate at once."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from adapters.migrations import load_migrations
from adapters.postgres import migrate, migration_status
from adapters.sqlite import migrate as lite_migrate
from adapters.sqlite import migration_status as lite_status
from tests.conftest import SQL_DIR, _with_database


@pytest.fixture
def empty_pg(pg_url: str):
    name = f"opengov_food_mig_{secrets.token_hex(4)}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(pg_url, name)
    yield url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_migrations_run_once_when_two_processes_race(empty_pg: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: asyncio.run(migrate(empty_pg, SQL_DIR / "postgres")), range(2)))
    versions = [f"{m.version:04d}_{m.name}" for m in load_migrations(SQL_DIR / "postgres")]
    # One run applied everything, the other found nothing to do.
    assert sorted(results, key=len) == [[], versions]
    states = asyncio.run(migration_status(empty_pg, SQL_DIR / "postgres"))
    assert all(s.applied_at for s in states)
    with psycopg.connect(empty_pg) as conn:
        schema = conn.execute("SELECT to_regclass('opengov_food.users')").fetchone()[0]
    assert schema == "opengov_food.users"


def test_sqlite_migrations_apply_once(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    assert lite_status(path, SQL_DIR / "sqlite")[0].applied_at is None
    assert lite_migrate(path, SQL_DIR / "sqlite") == [
        f"{m.version:04d}_{m.name}" for m in load_migrations(SQL_DIR / "sqlite")
    ]
    assert lite_migrate(path, SQL_DIR / "sqlite") == []


def test_a_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_init.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="NNNN_lowercase_name"):
        load_migrations(tmp_path)


def test_every_dialect_has_the_same_migrations() -> None:
    pg = [(m.version, m.name) for m in load_migrations(SQL_DIR / "postgres")]
    lite = [(m.version, m.name) for m in load_migrations(SQL_DIR / "sqlite")]
    assert pg == lite
