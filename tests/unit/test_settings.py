"""Environment -> settings: defaults, conversions, and one-line errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.settings import SettingsError, development_secret_key, load_settings

STRONG = "s" * 48


def test_defaults_use_embedded_sqlite_in_development(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.env == "development" and settings.storage == "sqlite"
    assert settings.sqlite_path == "./var/opengov-food.db"
    assert len(settings.secret_key) >= 32 and (tmp_path / "var" / "secret_key").exists()


def test_development_key_is_kept_between_starts(tmp_path: Path) -> None:
    path = str(tmp_path / "key")
    assert development_secret_key(path) == development_secret_key(path)
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0


def test_values_are_converted_from_strings() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://u@db:5432/x",
            "SECRET_KEY": STRONG,
            "PORT": "9000",
            "USERS_OPEN_REGISTRATION": "false",
            "ACCESS_TOKEN_EXPIRE_MINUTES": "15",
            "LOG_LEVEL": "debug",
        }
    )
    assert (settings.storage, settings.port, settings.users_open_registration) == ("postgres", 9000, False)
    assert settings.access_token_expire_minutes == 15 and settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"ENV": "staging"}, "ENV"),
        ({"USERS_OPEN_REGISTRATION": "maybe"}, "USERS_OPEN_REGISTRATION"),
        ({"FIRST_SUPERUSER_EMAIL": "a@b.co"}, "FIRST_SUPERUSER_PASSWORD"),
        ({"ENV": "production", "DATABASE_URL": "postgresql://x/y"}, "SECRET_KEY"),
        ({"ENV": "production", "DATABASE_URL": "postgresql://x/y", "SECRET_KEY": "changethis"}, "SECRET_KEY"),
        ({"ENV": "production", "SECRET_KEY": STRONG, "DATABASE_URL": "memory://"}, "DATABASE_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ARGON2_TIME_COST": "1"}, "ARGON2_MEMORY_COST"),
    ],
)
def test_bad_values_stop_start_up_with_one_line_naming_the_variable(env: dict, variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"SECRET_KEY": STRONG, **env} if "SECRET_KEY" not in env and env.get("ENV") != "production" else env)
    message = str(caught.value)
    assert message.startswith(variable + ":") and "\n" not in message


def test_production_refuses_a_weak_first_superuser_password() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {"ENV": "production", "SECRET_KEY": STRONG, "DATABASE_URL": "postgresql://x/y",
             "FIRST_SUPERUSER_EMAIL": "root@example.gov", "FIRST_SUPERUSER_PASSWORD": "changethis"}
        )  # fmt: skip
    assert str(caught.value).startswith("FIRST_SUPERUSER_PASSWORD:")


def test_production_start_up_stops_with_one_line_naming_the_secret(tmp_path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "db", "status"],
        env={"ENV": "production", "SECRET_KEY": "short", "DATABASE_URL": "postgresql://x/y", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().startswith("opengov-food: error: SECRET_KEY:") and len(result.stderr.strip().splitlines()) == 1
