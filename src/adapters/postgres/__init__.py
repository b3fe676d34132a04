"""PostgreSQL adapters: psycopg 3 async, a connection pool, raw parameterized SQL."""

from adapters.postgres.catalog import PostgresCocktailRepository
from adapters.postgres.database import SCHEMA, PostgresDatabase, migrate, migration_status
from adapters.postgres.identity import PostgresUserRepository

__all__ = ["SCHEMA", "PostgresCocktailRepository", "PostgresDatabase", "PostgresUserRepository", "migrate", "migration_status"]
