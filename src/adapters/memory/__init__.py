"""In-memory adapters for library users and fast tests. They pass the same
contract tests as PostgreSQL and SQLite."""

from adapters.memory.analyses import MemoryAnalysisRepository
from adapters.memory.catalog import MemoryCocktailRepository
from adapters.memory.database import MemoryDatabase
from adapters.memory.identity import MemoryUserRepository
from adapters.memory.inspections import MemoryItemRepository

__all__ = ["MemoryAnalysisRepository", "MemoryCocktailRepository", "MemoryDatabase", "MemoryItemRepository", "MemoryUserRepository"]
