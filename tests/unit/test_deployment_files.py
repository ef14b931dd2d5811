"""docker-compose.yml and the Dockerfile, checked as files (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_postgres_16_a_one_shot_migration_and_the_api() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "api"}
    assert services["db"]["image"] == "postgres:16"
    assert services["migrate"]["command"] == ["carbon-account", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["build"] == "." and services["api"]["build"] == "."
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # The API connects as the unprivileged role; migrations as the owner.
    assert "carbon_app:" in services["api"]["environment"]["APP_DATABASE_URL"]
    assert "carbon_owner:" in services["migrate"]["environment"]["DATABASE_URL"]


def test_dockerfile_installs_the_project_whose_package_brings_the_font() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11" in text
    assert "pip install --no-cache-dir ." in text
    assert "apt-get" not in text  # the CJK font is package data, not a system package
    assert "USER carbon" in text
