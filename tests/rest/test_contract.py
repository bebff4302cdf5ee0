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
    """Cursors are tokens the API issues: a schema-valid random string is not one, so a
    positive case gets a real cursor for the same query (negative cases keep their garbage)."""
    query = case.query or {}
    if "cursor" not in query or not case.meta or not case.meta.generation.mode.is_positive:
        return
    first = {name: value for name, value in query.items() if name != "cursor"}
    first["limit"] = 1
    response = clients["app"].get(case.formatted_path, params=first)
    cursor = response.json().get("next_cursor") if response.status_code == 200 else None
    if cursor:
        query["cursor"] = cursor
    else:
        del query["cursor"]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)
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
)
