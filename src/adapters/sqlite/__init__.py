"""SQLite adapters: the standard library's sqlite3, on a dedicated thread, in WAL mode."""

from adapters.sqlite.analyses import SqliteAnalysisRepository
from adapters.sqlite.catalog import SqliteCocktailRepository
from adapters.sqlite.database import SqliteDatabase, migrate, migration_status
from adapters.sqlite.identity import SqliteUserRepository
from adapters.sqlite.inspections import SqliteItemRepository

__all__ = ["SqliteAnalysisRepository", "SqliteCocktailRepository", "SqliteDatabase", "SqliteItemRepository", "SqliteUserRepository", "migrate", "migration_status"]
