"""The opengov-food command line, run in-process against a temporary SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from entrypoints.cli import main

SECRET = "cli-test-secret-key-0123456789abcdefgh"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    return db


def test_db_migrate_then_status(env: Path, capsys) -> None:
    assert main(["db", "status"]) == 1
    assert "pending" in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert "applied: 0001_identity" in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert "pending" not in capsys.readouterr().out


def test_create_superuser_from_stdin_is_idempotent(env: Path, capsys, monkeypatch) -> None:
    main(["db", "migrate"])
    monkeypatch.setattr("sys.stdin", io.StringIO("a-strong-password\n"))
    assert main(["users", "create-superuser", "--email", "Root@Example.gov", "--password-stdin"]) == 0
    assert "created superuser root@example.gov" in capsys.readouterr().out
    assert main(["users", "create-superuser", "--email", "root@example.gov", "--password", "another-password"]) == 0
    assert "already exists" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["users", "create-superuser", "--email", "bad", "--password", "a-strong-password"], "email"),
        (["users", "create-superuser", "--email", "a@b.co", "--password", "short"], "password"),
        (["serve", "--port", "0"], "--port"),
        (["serve", "--workers", "0"], "--workers"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(env: Path, capsys, argv: list[str], expected: str) -> None:
    main(["db", "migrate"])
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("opengov-food: error:") and expected in err and "Traceback" not in err


def test_bad_setting_is_reported_without_a_traceback(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    assert main(["db", "status"]) == 1
    assert capsys.readouterr().err.strip() == "opengov-food: error: PORT: Expected `int`, got `str`"


def test_password_without_a_terminal_or_stdin_flag_is_refused(env: Path, capsys, monkeypatch) -> None:
    main(["db", "migrate"])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["users", "create-superuser", "--email", "a@b.co"]) == 1
    assert "--password-stdin" in capsys.readouterr().err
