"""The Docker files, checked statically: no Docker engine runs where the suite does.

docker-compose.yml is validated against the Compose Specification's own JSON schema and then
for what claimgraph needs; the Dockerfile is parsed instruction by instruction.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
import pytest
import yaml
from dockerfile_parse import DockerfileParser
from sqlalchemy.engine import make_url

from api.config import PROJECT_DIR, Rate
from tests.data import DATA

COMPOSE = PROJECT_DIR / "docker-compose.yml"
DOCKERFILE = PROJECT_DIR / "Dockerfile"
SCHEMA = DATA / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


@pytest.fixture(scope="module")
def instructions() -> list[dict[str, Any]]:
    parser = DockerfileParser(path=str(DOCKERFILE))
    result: list[dict[str, Any]] = parser.structure
    return result


class TestCompose:
    def test_valid_against_the_compose_specification(self, compose: dict[str, Any]) -> None:
        validator = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text()))
        errors = [error.message for error in validator.iter_errors(compose)]
        assert errors == []

    def test_postgres_service(self, compose: dict[str, Any]) -> None:
        postgres = compose["services"]["postgres"]
        assert re.fullmatch(r"postgres:\d+(\.\d+)?", postgres["image"])
        volume = postgres["volumes"][0].split(":")[0]
        assert volume in compose["volumes"]
        assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])

    def test_api_service(self, compose: dict[str, Any]) -> None:
        api, postgres = compose["services"]["api"], compose["services"]["postgres"]
        assert api["build"] == "."
        assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
        url = make_url(api["environment"]["DATABASE_URL"])
        env = postgres["environment"]
        assert (url.host, url.port) == ("postgres", 5432)
        assert (url.username, url.password, url.database) == (
            env["POSTGRES_USER"],
            env["POSTGRES_PASSWORD"],
            env["POSTGRES_DB"],
        )
        port = api["environment"]["PORT"]
        assert f"{port}:{port}" in api["ports"]
        assert api["environment"]["HOST"] == "0.0.0.0"
        assert f"127.0.0.1:{port}/readyz" in " ".join(api["healthcheck"]["test"])


class TestDockerfile:
    def by(self, instructions: list[dict[str, Any]], name: str) -> list[str]:
        return [entry["value"] for entry in instructions if entry["instruction"] == name]

    def test_slim_python_base(self, instructions: list[dict[str, Any]]) -> None:
        assert self.by(instructions, "FROM") == ["python:3.11-slim"]

    def test_runs_as_a_non_root_user(self, instructions: list[dict[str, Any]]) -> None:
        users = self.by(instructions, "USER")
        assert users and users[-1] not in ("root", "0")
        assert any(users[-1] in run for run in self.by(instructions, "RUN"))

    def test_dependencies_from_the_lock_in_their_own_layer(
        self, instructions: list[dict[str, Any]]
    ) -> None:
        order = [(entry["instruction"], entry["value"]) for entry in instructions]
        lock_copy = order.index(("COPY", "requirements/runtime.lock requirements/runtime.lock"))
        install = next(
            i
            for i, (name, value) in enumerate(order)
            if name == "RUN" and "--require-hashes" in value
        )
        code_copy = order.index(("COPY", "api ./api"))
        assert lock_copy < install < code_copy
        assert "-r requirements/runtime.lock" in order[install][1]

    def test_healthcheck_on_readyz(self, instructions: list[dict[str, Any]]) -> None:
        [check] = self.by(instructions, "HEALTHCHECK")
        assert "/readyz" in check

    def test_serves_on_all_interfaces(self, instructions: list[dict[str, Any]]) -> None:
        env = " ".join(self.by(instructions, "ENV"))
        assert "HOST=0.0.0.0" in env and "PORT=8000" in env
        # The image limits its clients, with settings the service accepts.
        limits = dict(
            item.split("=", 1) for item in env.split() if item.startswith("CLAIMGRAPH_RATE")
        )
        assert set(limits) == {"CLAIMGRAPH_RATE_LIMIT_READS", "CLAIMGRAPH_RATE_LIMIT_WRITES"}
        assert all(Rate.parse(value) for value in limits.values())
        assert self.by(instructions, "EXPOSE") == ["8000"]
        assert self.by(instructions, "CMD") == ['["serve"]']

    def test_copied_paths_exist_and_are_not_ignored(
        self, instructions: list[dict[str, Any]]
    ) -> None:
        ignored = (PROJECT_DIR / ".dockerignore").read_text().split()
        for value in self.by(instructions, "COPY"):
            for source in value.split()[:-1]:
                assert (PROJECT_DIR / source).exists(), source
                assert source not in ignored
