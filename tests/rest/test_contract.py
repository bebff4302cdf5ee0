"""schemathesis against the app in-process: every operation with every check, then the links.

Requests carry an admin API key, so writes run for real: the stateful phase follows the
links from each create to its get, patch (with the ETag) and delete. The answers the schema
cannot express (422 for a quote that is not in the source or an id that names nothing, 412
for a generated `If-Match` that is not the current ETag, ...) are expected as the checkout's
schemathesis.toml says, so that a `schemathesis run` from the checkout expects the same.

The schema is the document the app serves (built from the same operations); requests go through
schemathesis's in-process ASGI client, which runs the app and its lifespan on its own event
loop, here over this module's copy of the loaded database. (`schemathesis.pytest.from_fixture`
would be the usual way, but it breaks on pytest 9.2, which dropped `Node._nodeid`.)
"""

from __future__ import annotations

import itertools
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from api.app import create_app
from api.config import PROJECT_DIR, Settings
from api.db.engine import Database
from api.rest import openapi, operations
from tests.rest import positive

MAX_EXAMPLES = 25
BASE_URL = f"http://{asgi.HOST}"
#: The checkout's schemathesis.toml (what `schemathesis run` reads: the expected statuses),
#: with fewer examples and steps.
SETTINGS = tomllib.loads((PROJECT_DIR / "schemathesis.toml").read_text())
del SETTINGS["hooks"]  # the cases get issued cursors here by `issued_cursor`
SETTINGS["generation"] = {"max-examples": MAX_EXAMPLES, "mode": "all"}
SETTINGS["phases"] = {"stateful": {"max-steps": 12}}
CONFIG = SchemathesisConfig.from_dict(SETTINGS)


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
#: The stateful run's answers by method and status, for the message of a failed check.
ANSWERS: defaultdict[str, Counter[int]] = defaultdict(Counter)


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

    def after_call(self, response: Any, case: Any) -> None:
        ANSWERS[case.method.upper()][response.status_code] += 1


TestLinks = Workflow.TestCase
TestLinks.settings = settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    stateful_step_count=8,
    derandomize=True,
)


DOCUMENT = openapi.document(operations())
FOLLOWED = "claim-followed-by-its-links"


def operation(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """The path, method and description of an operation of the document."""
    for path, methods in DOCUMENT["paths"].items():
        for method, described in methods.items():
            if isinstance(described, dict) and described.get("operationId") == operation_id:
                return path, method, described
    raise LookupError(operation_id)


def follow(link: dict[str, Any], response: Any, body: bytes | None = None) -> Any:
    """Send the request a link describes, its parameters taken from `response`."""
    path, method, _ = operation(link["operationId"])
    headers = dict(HEADERS)
    for target, source in link["parameters"].items():
        if source.startswith("$response.body#/"):
            value = response.json()[source.removeprefix("$response.body#/")]
        elif source.startswith("$response.header."):
            value = response.headers[source.removeprefix("$response.header.")]
        else:  # $request.path.id
            value = response.json()["id"]
        if target.startswith("header."):
            headers[target.removeprefix("header.")] = value
        else:
            path = path.replace("{" + target + "}", value)
    if body is not None:
        headers["Content-Type"] = "application/merge-patch+json"
    return clients["app"].request(method.upper(), BASE_URL + path, headers=headers, data=body)


def test_a_claim_changed_and_deleted_through_its_links() -> None:
    """The links of a create lead, with the ETag they carry, to a change and a delete: the
    stateful run's random walk seldom gets that far, so one lifecycle is walked here."""
    created = clients["app"].post(
        BASE_URL + "/v1/claims",
        json={"id": FOLLOWED, "text": "A claim followed through its links."},
        headers=HEADERS,
    )
    assert created.status_code == 201, created.text
    links = operation("createClaim")[2]["responses"]["201"]["links"]
    updated = follow(links["UpdateClaim"], created, b'{"text": "Changed through its link."}')
    assert updated.status_code == 200, updated.text
    assert updated.json()["text"] == "Changed through its link."
    stale = follow(links["DeleteClaim"], created)
    assert stale.status_code == 412, stale.text
    deleted = follow(
        operation("updateClaim")[2]["responses"]["200"]["links"]["DeleteClaim"], updated
    )
    assert deleted.status_code == 204, deleted.text


async def test_the_links_created_changed_and_deleted(database: Database) -> None:
    """The stateful run did follow create → delete (not only refusals), and the walked
    lifecycle left its create, change and delete in the audit log."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            sa.text(
                "SELECT entity, entity_id, array_agg(action ORDER BY id) FROM audit_log "
                "GROUP BY entity, entity_id"
            )
        )
        histories = {(entity, id): actions for entity, id, actions in rows}
    walked = {key: actions for key, actions in histories.items() if key != ("claim", FOLLOWED)}
    lifecycles = [key for key, actions in walked.items() if {"create", "delete"} <= set(actions)]
    assert lifecycles, dict(ANSWERS)
    assert histories[("claim", FOLLOWED)] == ["create", "update", "delete"]
