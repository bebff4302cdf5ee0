"""schemathesis's GraphQL support against the app in-process: zero failures.

As for REST, the schema is the one the app serves (its SDL, from the same code) and the
requests go through schemathesis's in-process ASGI client, over this module's database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from api.app import create_app
from api.config import Settings
from api.db.engine import Database
from api.graphql.schema import create_schema
from tests.graphql.arguments import realistic
from tests.graphql.conftest import ordered

MAX_EXAMPLES = 30
BASE_URL = f"http://{asgi.HOST}/graphql"
schema = schemathesis.graphql.from_file(
    create_schema().as_str(),
    config=SchemathesisConfig.from_dict(
        {"generation": {"max-examples": MAX_EXAMPLES, "mode": "all"}}
    ),
)
clients: dict[str, asgi.ASGIClient] = {}


@pytest.fixture(scope="module", autouse=True)
def client(database: Database, settings: Settings) -> Iterator[asgi.ASGIClient]:
    app = create_app(settings.model_copy(update={"database_url": database.url}))
    with asgi.get_client(app) as session:  # type: ignore[arg-type]
        clients["app"] = session
        yield session
    asgi.shutdown_lifespans()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    derandomize=True,  # the same cases every run: CI never flakes; explore with the CLI
)
def test_every_root_field(case: Any) -> None:
    """Valid responses, and the same answer from the compiled path and the resolvers."""
    realistic(case)
    response = case.call_and_validate(base_url=BASE_URL, session=clients["app"])
    reference = case.call(
        base_url=BASE_URL, session=clients["app"], headers={"x-graphql-path": "fallback"}
    )
    if "application/json" in str(response.headers.get("content-type")):
        assert ordered(response.text) == ordered(reference.text)
