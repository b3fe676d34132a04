"""SQLite adapters: the standard library's sqlite3, on a dedicated thread, in WAL mode."""

from adapters.sqlite.catalog import SqliteCocktailRepository
from adapters.sqlite.database import SqliteDatabase, migrate, migration_status
from adapters.sqlite.identity import SqliteUserRepository
from adapters.sqlite.inspections import SqliteItemRepository

__all__ = ["SqliteCocktailRepository", "SqliteDatabase", "SqliteItemRepository", "SqliteUserRepository", "migrate", "migration_status"]
