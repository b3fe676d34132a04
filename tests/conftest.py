"""Shared fixtures: a throwaway PostgreSQL database, SQLite files, settings, clients.

The PostgreSQL tests use a real server at TEST_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres). The run creates its own fresh
database there, migrates it, and drops it at the end.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from adapters.postgres import migrate as pg_migrate
from adapters.sqlite import migrate as lite_migrate
from entrypoints.bootstrap import Storage, storage_for
from entrypoints.settings import Settings

# Bounded by default so `make test` stays quick; HYPOTHESIS_PROFILE=thorough for long local runs.
hypothesis_settings.register_profile("ci", max_examples=50, deadline=None, print_blob=True)
hypothesis_settings.register_profile("thorough", max_examples=2_000, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = ROOT / "sql"
DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
STORAGES = ["memory", "sqlite", "postgres"]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A freshly created, migrated PostgreSQL database for this test run."""
    admin_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        pytest.exit(
            f"No PostgreSQL server answers at TEST_DATABASE_URL={admin_url} ({first_line}). "
            "Start one, or set TEST_DATABASE_URL=postgresql://user@host:port/db to point at one.",
            returncode=3,
        )
    name = f"opengov_food_test_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(admin_url, name)
    # Run the async migration on its own thread: this fixture may first be
    # requested from inside an async fixture, whose loop is already running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, pg_migrate(url, SQL_DIR / "postgres")).result()
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clean_pg(pg_url: str) -> str:
    """The test database with every table emptied and identities restarted."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
            "WHERE schemaname = 'opengov_food' AND tablename <> 'schema_migrations'"
        ).fetchall()
        if tables:
            conn.execute(f"TRUNCATE {', '.join(t[0] for t in tables)} RESTART IDENTITY CASCADE")
    return pg_url


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    path = str(tmp_path / "test.db")
    lite_migrate(path, SQL_DIR / "sqlite")
    return path


def settings_for(storage: str, request: pytest.FixtureRequest, **overrides: object) -> Settings:
    """Settings for one storage adapter; the PostgreSQL database is cleaned first."""
    if storage == "postgres":
        url = request.getfixturevalue("clean_pg")
    elif storage == "sqlite":
        url = "sqlite:///" + request.getfixturevalue("sqlite_file")
    else:
        url = "memory://"
    values = {
        "database_url": url,
        "secret_key": TEST_SECRET,
        "sql_dir": str(SQL_DIR),
        "db_pool_min_size": 1,
        "db_pool_max_size": 4,
        # Generous limits: the tests log in far more often than a person would.
        "rate_limit_per_minute": 0,
        "login_rate_limit_per_minute": 100_000,
        "login_max_failures": 100_000,
        "registration_rate_limit_per_hour": 100_000,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=STORAGES)
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    """Each storage adapter set in turn (memory, SQLite, PostgreSQL), on an empty database."""
    settings = settings_for(request.param, request)
    adapters = storage_for(settings)
    await adapters.database.open()
    try:
        yield adapters
    finally:
        await adapters.database.close()


@pytest.fixture
def user_repository(storage: Storage) -> object:
    return storage.users


@pytest.fixture
def cocktail_repository(storage: Storage) -> object:
    return storage.cocktails


@pytest.fixture
def item_repository(storage: Storage) -> object:
    return storage.items


@pytest.fixture
def analysis_repository(storage: Storage) -> object:
    return storage.analyses
