"""The core imports the standard library and msgspec, nothing else."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "core"
FORBIDDEN = {"litestar", "psycopg", "psycopg_pool", "sqlite3", "jwt", "argon2", "structlog", "httpx", "adapters", "entrypoints"}
ALLOWED_THIRD_PARTY = {"msgspec"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_import_only_stdlib_msgspec_and_core() -> None:
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) >= 5, "expected to find the core's modules"
    offenders = {}
    for module in modules:
        imported = _imports(module)
        bad = {n for n in imported if n in FORBIDDEN or (n not in sys.stdlib_module_names and n not in ALLOWED_THIRD_PARTY and n != "core")}
        if bad:
            offenders[str(module.relative_to(CORE))] = sorted(bad)
    assert offenders == {}


def test_purity_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import json\nfrom psycopg import sql\nimport adapters.memory\n")
    assert {"psycopg", "adapters"} <= _imports(sample) & FORBIDDEN
