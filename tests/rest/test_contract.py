"""schemathesis against the app in-process: every operation with every check, then the links.

Requests carry an admin API key, so writes run for real: the stateful phase follows the
links from each create to its get, patch (with the ETag) and delete. Two rejections the
schema cannot express are allowed for schema-valid data, as schemathesis suggests: 422 (a
quote that is not in the source, an id that names nothing) and 412 (a generated `If-Match`
is not the current ETag); 412 and 413 are also fine answers to invalid data.

The schema is the document the app serves (built from the same operations); requests go through
schemathesis's in-process ASGI client, which runs the app and its lifespan on its own event
loop, here over this module's copy of the loaded database. (`schemathesis.pytest.from_fixture`
would be the usual way, but it breaks on pytest 9.2, which dropped `Node._nodeid`.)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
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
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "422"]
            },
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "412",
                    "413",
                    "415",
                    "422",
                    "428",
                ]
            },
            "missing_required_header": {
                "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
            },
        },
    }
)


class LateApp:
    """The app, made once the module's database exists. schemathesis picks its transport by
    the schema's app when the schema is loaded, and its auth probes (sent without the key)
    go through that transport, so the schema names this stand-in from the start."""

    app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


APP = LateApp()
schema = schemathesis.openapi.from_dict(openapi.document(operations()), config=CONFIG)
schema.app = APP
clients: dict[str, asgi.ASGIClient] = {}
HEADERS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def client(
    database: Database, settings: Settings, api_keys: dict[str, str]
) -> Iterator[asgi.ASGIClient]:
    HEADERS["Authorization"] = f"Bearer {api_keys['admin']}"
    APP.app = create_app(settings.model_copy(update={"database_url": database.url}))
    with asgi.get_client(APP) as session:
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
    case.call_and_validate(base_url=BASE_URL, session=clients["app"], headers=HEADERS)


CREATED = itertools.count()


def fresh(case: Any) -> None:
    """A stateful run must not depend on what earlier examples left in the database:
    hypothesis replays prefixes of examples and insists they unfold the same way. So each
    POST gets an id (and an `Idempotency-Key`) never sent before, and a create succeeds or
    fails by its own body, not by history."""
    if case.method.upper() != "POST":
        return
    number = next(CREATED)
    if isinstance(case.body, dict) and isinstance(case.body.get("id"), str):
        case.body["id"] = f"{case.body['id'][:60]}-{number}"
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key" and isinstance(case.headers[name], str):
            case.headers[name] = f"{case.headers[name][:200]}-{number}"


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    def before_call(self, case: Any) -> None:
        issued_cursor(case)
        fresh(case)

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"base_url": BASE_URL, "session": clients["app"], "headers": HEADERS}


TestLinks = Workflow.TestCase
TestLinks.settings = settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    stateful_step_count=8,
    derandomize=True,
)


async def test_the_links_created_changed_and_deleted(database: Database) -> None:
    """The stateful run did follow create → patch → delete (not only refusals)."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            sa.text(
                "SELECT entity, entity_id, array_agg(action ORDER BY id) FROM audit_log "
                "GROUP BY entity, entity_id"
            )
        )
        histories = {(entity, id): actions for entity, id, actions in rows}
    lifecycles = [key for key, actions in histories.items() if {"create", "delete"} <= set(actions)]
    changed = [key for key, actions in histories.items() if "update" in actions]
    assert lifecycles and changed, histories
