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


def test_db_seed_loads_cocktails_demo_accounts_and_items_once(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DEMO_INSPECTOR_PASSWORD", "inspector-password")
    main(["db", "migrate"])
    assert main(["db", "seed"]) == 0
    first = capsys.readouterr().out
    added = int(first.split("cocktails: added ")[1].split(",")[0])
    assert added >= 50
    assert "inspector@example.gov: created with the password from settings" in first
    assert "admin@example.gov: created with password " in first and "items: added 5" in first
    assert main(["db", "seed"]) == 0
    second = capsys.readouterr().out
    assert f"cocktails: added 0, skipped {added}" in second
    assert "admin@example.gov: already exists" in second and "none added" in second


def test_export_then_import_round_trips(env: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    main(["db", "migrate"])
    main(["db", "seed"])
    exported = tmp_path / "catalog.json"
    assert main(["catalog", "export", str(exported)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    main(["db", "migrate"])
    assert main(["catalog", "import", str(exported)]) == 0
    out = capsys.readouterr().out
    assert "skipped 0 already" in out
    again = tmp_path / "again.json"
    main(["catalog", "export", str(again)])
    assert again.read_text() == exported.read_text()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "opengov-food.cocktails/1",\n "cocktails": [\n {"name": "A" "x": 1}]}', "line 3"),
        ('{"format": "opengov-food.cocktails/1", "cocktails": [{"name": "A", "ingredients": [{"name": "Gin"}]},'
         ' {"name": "B", "ingredients": []}]}', "cocktail 1 ('B')"),
        ('{"format": "other/1", "cocktails": []}', "format"),
        ('{"format": "opengov-food.cocktails/1", "cocktails": [{"name": "A", "ingredients": [{"name": "Gin"}],'
         ' "colour": "red"}]}', "colour"),
    ],
)  # fmt: skip
def test_a_bad_import_file_is_rejected_whole_naming_the_place(env: Path, tmp_path: Path, capsys, content, expected) -> None:
    main(["db", "migrate"])
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["catalog", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    main(["catalog", "export", str(tmp_path / "out.json")])
    assert '"cocktails": [\n\n]}' in (tmp_path / "out.json").read_text()


def test_analyze_prints_the_rule_sets_findings(env: Path, capsys) -> None:
    import json

    assert main(["analyze", "Walk-in cooler at 46 F. No soap at the hand sink."]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert findings["provider"] == "rules" and findings["risk"] == "high"
    assert [v["code"] for v in findings["violations"]] == ["3-501.16(A)(2)", "6-301.11"]


def test_analyze_with_ollama_and_llm_check_and_list(env: Path, capsys, monkeypatch) -> None:
    import json

    from tests.fake_llm import fake_llm

    with fake_llm("ollama", "good") as server:
        monkeypatch.setenv("OLLAMA_BASE_URL", server.url)
        assert main(["analyze", "Cooler warm", "--provider", "ollama", "--model", "qwen2.5:7b"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["provider"] == "ollama" and out["model"] == "qwen2.5:7b"
        assert main(["llm", "check"]) == 0
        assert "llama3.1 is available" in capsys.readouterr().out
        assert main(["llm", "list"]) == 0
        assert capsys.readouterr().out.split() == ["llama3.1:latest", "qwen2.5:7b"]


def test_llm_check_without_a_server_is_one_line_and_exit_1(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://127.0.0.1:9")
    assert main(["llm", "check"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Traceback" not in err
