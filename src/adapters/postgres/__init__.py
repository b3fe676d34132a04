"""PostgreSQL adapters: psycopg 3 async, a connection pool, raw parameterized SQL."""

from adapters.postgres.analyses import PostgresAnalysisRepository
from adapters.postgres.catalog import PostgresCocktailRepository
from adapters.postgres.database import SCHEMA, PostgresDatabase, migrate, migration_status
from adapters.postgres.identity import PostgresUserRepository
from adapters.postgres.inspections import PostgresItemRepository

__all__ = ["PostgresAnalysisRepository", "SCHEMA", "PostgresCocktailRepository", "PostgresDatabase", "PostgresItemRepository", "PostgresUserRepository", "migrate", "migration_status"]
