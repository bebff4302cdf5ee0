"""schemathesis against the app in-process: every operation with every check, then the links.

The schema is the document the app serves (built from the same operations); requests go through
schemathesis's in-process ASGI client, which runs the app and its lifespan on its own event
loop, here over this module's copy of the loaded database. (`schemathesis.pytest.from_fixture`
would be the usual way, but it breaks on pytest 9.2, which dropped `Node._nodeid`.)
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
from api.rest import openapi, operations
from tests.rest import positive

MAX_EXAMPLES = 25
BASE_URL = f"http://{asgi.HOST}"
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
        "phases": {"stateful": {"max-steps": 12}},
    }
)
schema = schemathesis.openapi.from_dict(openapi.document(operations()), config=CONFIG)
clients: dict[str, asgi.ASGIClient] = {}


@pytest.fixture(scope="module", autouse=True)
def client(database: Database, settings: Settings) -> Iterator[asgi.ASGIClient]:
    app = create_app(settings.model_copy(update={"database_url": database.url}))
    with asgi.get_client(app) as session:
        clients["app"] = session
        yield session
    asgi.shutdown_lifespans()


def issued_cursor(case: Any) -> None:
    positive.positive(case, lambda path, params: clients["app"].get(path, params=params))


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    derandomize=True,  # the same cases every run: CI never flakes; explore with the CLI
)
def test_every_operation(case: Any) -> None:
    issued_cursor(case)
    case.call_and_validate(base_url=BASE_URL, session=clients["app"])


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    def before_call(self, case: Any) -> None:
        issued_cursor(case)

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"base_url": BASE_URL, "session": clients["app"]}


TestLinks = Workflow.TestCase
TestLinks.settings = settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    stateful_step_count=8,
    derandomize=True,
)
