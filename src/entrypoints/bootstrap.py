"""The composition root: the one place that decides which adapter serves which port.

The ASGI app, the CLI and the tests all call ``build``; tests pass keyword
overrides (``clock=FixedClock()``, ``users=...``) instead of monkeypatching.
Building opens nothing: ``Container.startup`` does, from the app lifespan or CLI.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from adapters.http.protection import CounterStore, Limiter, Limits
from adapters.memory import (
    MemoryAnalysisRepository,
    MemoryCocktailRepository,
    MemoryDatabase,
    MemoryItemRepository,
    MemoryUserRepository,
)
from adapters.memory.counters import MemoryCounterStore
from adapters.security import Argon2Hasher, Argon2Parameters, JwtTokenIssuer, SystemClock
from core.analysis import AnalysisRepository, AnalysisService, Analyzer
from core.catalog import CatalogService, CocktailRepository
from core.common import Clock
from core.errors import DomainError
from core.identity import IdentityService, PasswordHasher, TokenIssuer, UserRepository
from core.inspections import InspectionService, ItemRepository
from entrypoints.settings import Settings

log = logging.getLogger("opengov_food.bootstrap")


class Database(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> None: ...


@dataclass
class Container:
    """Everything built from one set of settings."""

    settings: Settings
    database: Database
    users: UserRepository
    hasher: PasswordHasher
    tokens: TokenIssuer
    clock: Clock
    identity: IdentityService
    cocktails: CocktailRepository
    catalog: CatalogService
    items: ItemRepository
    inspections: InspectionService
    store: CounterStore
    limiter: Limiter
    analyses: AnalysisRepository
    analyzers: dict[str, Analyzer]
    analysis: AnalysisService

    async def startup(self) -> None:
        await self.database.open()
        await self.ensure_first_superuser()

    async def shutdown(self) -> None:
        await self.database.close()
        await self.store.close()
        for analyzer in self.analyzers.values():
            close = getattr(analyzer, "close", None)
            if close is not None:
                await close()
        close = getattr(self.hasher, "close", None)
        if close is not None:
            close()

    async def ensure_first_superuser(self) -> None:
        email, password = self.settings.first_superuser_email, self.settings.first_superuser_password
        if not email or not password:
            return
        try:
            user, created = await self.identity.ensure_superuser(email, password)
        except DomainError as exc:
            # Start anyway: /health/ready reports the database, and the next start retries.
            log.error("could not ensure the first superuser: %s", exc.message)
            return
        if created:
            log.info("created first superuser %s (id %s)", user.email, user.id)

    async def readiness(self) -> dict[str, str]:
        """``{"database": "ok"}`` or ``"unavailable"``, and the same for the shared store when configured."""
        checks = {"database": await _check(self.database.ping)}
        if not self.settings.store_url.startswith("memory://"):
            checks["store"] = await _check(self.store.ping)
        return checks


async def _check(ping) -> str:
    try:
        await asyncio.wait_for(ping(), timeout=5)
    except (DomainError, TimeoutError):
        return "unavailable"
    return "ok"


def build(
    settings: Settings,
    *,
    database: Database | None = None,
    users: UserRepository | None = None,
    cocktails: CocktailRepository | None = None,
    items: ItemRepository | None = None,
    analyses: AnalysisRepository | None = None,
    analyzers: dict[str, Analyzer] | None = None,
    store: CounterStore | None = None,
    hasher: PasswordHasher | None = None,
    tokens: TokenIssuer | None = None,
    clock: Clock | None = None,
) -> Container:
    """Wire the adapters chosen by ``settings`` (or given as overrides) to the core."""
    if database is None or users is None or cocktails is None or items is None or analyses is None:
        storage = storage_for(settings)
        database = database or storage.database
        users = users or storage.users
        cocktails = cocktails or storage.cocktails
        items = items or storage.items
        analyses = analyses or storage.analyses
    analyzers = analyzers if analyzers is not None else analyzers_for(settings)
    hasher = hasher or Argon2Hasher(
        Argon2Parameters(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        )
    )
    tokens = tokens or JwtTokenIssuer(settings.secret_key)
    if store is None:
        if settings.store_url.startswith("memory://"):
            store = MemoryCounterStore()
        else:
            from adapters.redis import RedisCounterStore

            store = RedisCounterStore(settings.store_url)
    clock = clock or SystemClock()
    identity = IdentityService(
        users,
        hasher,
        tokens,
        clock,
        token_ttl=timedelta(minutes=settings.access_token_expire_minutes),
        open_registration=settings.users_open_registration,
    )
    inspections = InspectionService(items, clock)
    return Container(
        settings=settings,
        database=database,
        users=users,
        hasher=hasher,
        tokens=tokens,
        clock=clock,
        identity=identity,
        cocktails=cocktails,
        catalog=CatalogService(cocktails, clock),
        items=items,
        inspections=inspections,
        analyses=analyses,
        analyzers=analyzers,
        analysis=AnalysisService(
            analyzers,
            analyses,
            inspections,
            clock,
            default_provider=settings.analyzer_default_provider,
            fallback_to_rules=settings.analyzer_fallback,
        ),
        store=store,
        limiter=Limiter(
            store,
            Limits(
                per_minute=settings.rate_limit_per_minute,
                login_per_minute=settings.login_rate_limit_per_minute,
                login_max_failures=settings.login_max_failures,
                login_lockout_seconds=settings.login_lockout_minutes * 60,
                registrations_per_hour=settings.registration_rate_limit_per_hour,
            ),
        ),
    )


@dataclass
class Storage:
    """One storage technology's adapters, sharing one database handle."""

    database: Database
    users: UserRepository
    cocktails: CocktailRepository
    items: ItemRepository
    analyses: AnalysisRepository


def analyzers_for(settings: Settings) -> dict[str, Analyzer]:
    """Every provider: the offline rules, and the two servers as configured."""
    from adapters.analysis import OllamaAnalyzer, OpenAIAnalyzer, RulesAnalyzer

    options = {"timeout": settings.analyzer_timeout, "retries": settings.analyzer_retries}
    return {
        "rules": RulesAnalyzer(),
        "ollama": OllamaAnalyzer(settings.ollama_base_url, model=settings.ollama_model, **options),
        "openai": OpenAIAnalyzer(
            settings.openai_base_url, model=settings.openai_model, api_key=settings.openai_api_key, **options
        ),
    }


def storage_for(settings: Settings) -> Storage:
    kind = settings.storage
    if kind == "postgres":
        from adapters.postgres import (
            PostgresAnalysisRepository,
            PostgresCocktailRepository,
            PostgresDatabase,
            PostgresItemRepository,
            PostgresUserRepository,
        )

        pg = PostgresDatabase(
            settings.database_url,
            min_size=settings.db_pool_min_size,
            max_size=settings.db_pool_max_size,
            timeout=settings.db_pool_timeout,
        )
        return Storage(
            pg,
            PostgresUserRepository(pg),
            PostgresCocktailRepository(pg),
            PostgresItemRepository(pg),
            PostgresAnalysisRepository(pg),
        )
    if kind == "sqlite":
        from adapters.sqlite import (
            SqliteAnalysisRepository,
            SqliteCocktailRepository,
            SqliteDatabase,
            SqliteItemRepository,
            SqliteUserRepository,
        )

        lite = SqliteDatabase(settings.sqlite_path)
        return Storage(
            lite,
            SqliteUserRepository(lite),
            SqliteCocktailRepository(lite),
            SqliteItemRepository(lite),
            SqliteAnalysisRepository(lite),
        )
    users = MemoryUserRepository()
    return Storage(
        MemoryDatabase(),
        users,
        MemoryCocktailRepository(),
        MemoryItemRepository(users),
        MemoryAnalysisRepository(),
    )


async def migrate(settings: Settings) -> list[str]:
    """Apply pending migrations for the configured storage; names of those applied."""
    kind = settings.storage
    if kind == "postgres":
        from adapters.postgres import migrate as pg_migrate

        return await pg_migrate(settings.database_url, settings.migrations_dir("postgres"))
    if kind == "sqlite":
        import asyncio

        from adapters.sqlite import migrate as lite_migrate

        return await asyncio.to_thread(lite_migrate, settings.sqlite_path, settings.migrations_dir("sqlite"))
    return []


async def migration_status(settings: Settings) -> list:
    kind = settings.storage
    if kind == "postgres":
        from adapters.postgres import migration_status as pg_status

        return await pg_status(settings.database_url, settings.migrations_dir("postgres"))
    if kind == "sqlite":
        import asyncio

        from adapters.sqlite import migration_status as lite_status

        return await asyncio.to_thread(lite_status, settings.sqlite_path, settings.migrations_dir("sqlite"))
    return []
