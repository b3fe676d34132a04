"""Numbered SQL migration files, shared by the PostgreSQL and SQLite runners.

A migration is ``sql/<dialect>/NNNN_name.sql``; files apply in numeric order,
each once, each in its own transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


@dataclass(frozen=True)
class MigrationState:
    version: int
    name: str
    applied_at: str | None


def load_migrations(directory: Path) -> list[Migration]:
    """Every migration in ``directory``, in order. Refuses gaps in naming and duplicates."""
    if not directory.is_dir():
        raise FileNotFoundError(f"migration directory {directory} does not exist")
    found: dict[int, Migration] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix != ".sql":
            continue
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} is not named NNNN_lowercase_name.sql")
        version = int(match.group("version"))
        if version in found:
            raise ValueError(f"two migrations share version {version:04d}")
        found[version] = Migration(version, match.group("name"), path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]
