"""No Docker engine here: check the deployment files for their essentials instead."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_dockerfile_is_multi_stage_slim_non_root_with_port_and_health_check() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert len(stages) >= 2 and all("slim" in image for image in stages)
    assert re.search(r"^USER\s+(?!root\b)\w+", text, re.MULTILINE), "must switch to a non-root user"
    assert re.search(r"^EXPOSE\s+8000", text, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK\b.*\n?.*?/health", text, re.MULTILINE)
    assert 'CMD ["opengov-food", "serve"]' in text and "PORT=8000" in text
    assert "COPY sql" in text and "COPY tests" not in text and "COPY . ." not in text


def test_fly_apps_migrate_on_release_check_readiness_force_https_and_hold_no_secrets() -> None:
    apps = {}
    for name in ("fly.toml", "fly.dev.toml"):
        config = tomllib.loads((ROOT / name).read_text())
        apps[config["app"]] = config
        assert config["deploy"]["release_command"] == "opengov-food db migrate"
        service = config["http_service"]
        assert service["force_https"] is True and service["internal_port"] == 8000
        assert any(check["path"] == "/health/ready" for check in service["checks"])
        assert config["env"]["ENV"] == "production"
        for secret in ("SECRET_KEY", "DATABASE_URL", "FIRST_SUPERUSER_PASSWORD"):
            assert secret not in config["env"]
    assert set(apps) == {"opengov-food", "opengov-food-dev"}


def test_workflow_tests_then_builds_to_ghcr_then_deploys_by_branch() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    jobs = workflow["jobs"]
    assert "postgres" in jobs["test"]["services"]
    assert any(step.get("run") == "make test" for step in jobs["test"]["steps"])
    assert jobs["image"]["needs"] == "test"
    assert any("ghcr.io" in str(step.get("with", {})) for step in jobs["image"]["steps"])
    assert jobs["deploy"]["needs"] == "image"
    deploy_script = " ".join(step.get("run", "") for step in jobs["deploy"]["steps"])
    assert "fly.toml" in deploy_script and "fly.dev.toml" in deploy_script and "main" in deploy_script


def test_compose_runs_the_api_with_postgres_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"api", "db", "redis"} <= set(compose["services"])
    assert compose["services"]["api"]["environment"]["STORE_URL"].startswith("redis://")
