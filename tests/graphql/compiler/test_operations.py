"""The compiler, case by case: which operations it covers, and what their one statement answers
on the article's data. A failure here names the construct at fault before the differential
test (tests/graphql/test_differential.py) has to find it among generated operations."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from api.db.engine import Database
from api.graphql.compiler.operations import PreparedOperation, PreparedOperations
from api.graphql.schema import GUARD_RULES, MAX_TOKENS, create_schema

CLAIM = "unrest-was-colour-revolution"


@pytest.fixture(scope="module")
def operations() -> PreparedOperations:
    return PreparedOperations(create_schema()._schema, GUARD_RULES, max_tokens=MAX_TOKENS)


async def compiled(
    operations: PreparedOperations, database: Database, query: str, variables: dict[str, Any] | None
) -> Any:
    """The `data` the compiled statement answers (the operation must be covered)."""
    operation = operations.operation(query, None)
    assert isinstance(operation, PreparedOperation), operation
    body = await operation.execute(database, variables)
    assert body is not None, "the compiler left this operation to the resolvers"
    return json.loads(body)["data"]


async def count(database: Database, sql: str, *arguments: Any) -> int:
    pool = await database.driver_pool()
    return int(await pool.fetchval(sql, *arguments))


def global_id(type_name: str, slug: str) -> str:
    return base64.b64encode(f"{type_name}:{slug}".encode()).decode()


@dataclass(frozen=True)
class Case:
    """An operation the compiler covers, and what must hold of its answer."""

    name: str
    query: str
    check: Callable[[Any], bool]
    variables: dict[str, Any] | None = None


COVERED = [
    Case(
        "a row by slug, its columns",
        f'{{ claim(id: "{CLAIM}") {{ slug text }} }}',
        lambda data: (
            data["claim"]["slug"] == CLAIM and "colour revolution" in data["claim"]["text"]
        ),
    ),
    Case(
        "a row by variable, a link, a partial date, an enum",
        "query ($id: ID!) { statement(id: $id) { speaker { name } saidOn saidOnPrecision } }",
        lambda data: (
            data["statement"]
            == {
                "speaker": {"name": "Vladimir Putin"},
                "saidOn": "2022-01-10",
                "saidOnPrecision": "DAY",
            }
        ),
        {"id": "putin-colour-revolution-scenarios"},
    ),
    Case(
        "an unknown slug is null",
        '{ actor(id: "nobody-at-all") { name } }',
        lambda data: data == {"actor": None},
    ),
    Case(
        "aliases, a named fragment, __typename",
        '{ a: actor(id: "vladimir-putin") { ...F } b: actor(id: "cis") { ...F } }'
        " fragment F on Actor { __typename name }",
        lambda data: (
            data
            == {
                "a": {"__typename": "Actor", "name": "Vladimir Putin"},
                "b": {"__typename": "Actor", "name": data["b"]["name"]},
            }
            and list(data) == ["a", "b"]
        ),
    ),
    Case(
        "@skip with a variable",
        'query ($s: Boolean!) { actor(id: "vladimir-putin") { name kind @skip(if: $s) } }',
        lambda data: data == {"actor": {"name": "Vladimir Putin"}},
        {"s": True},
    ),
    Case(
        "@skip with the other value: another statement",
        'query ($s: Boolean!) { actor(id: "vladimir-putin") { name kind @skip(if: $s) } }',
        lambda data: data == {"actor": {"name": "Vladimir Putin", "kind": "PERSON"}},
        {"s": False},
    ),
    Case(
        "a node by global id, an inline fragment",
        f'{{ node(id: "{global_id("Actor", "vladimir-putin")}") {{ ... on Actor {{ name }} }} }}',
        lambda data: data == {"node": {"name": "Vladimir Putin"}},
    ),
    Case(
        "an object of the row's own columns (a span), exactly its text",
        '{ statement(id: "putin-colour-revolution-scenarios") { text span { exact start end } } }',
        lambda data: (
            data["statement"]["span"]["exact"] == data["statement"]["text"]
            and data["statement"]["span"]["end"] - data["statement"]["span"]["start"]
            == len(data["statement"]["text"])
        ),
    ),
    Case(
        "search hits dispatched on their type",
        '{ search(query: "colour revolution", first: 5) { edges { match node { __typename } } } }',
        lambda data: (
            len(data["search"]["edges"]) == 5
            and {edge["node"]["__typename"] for edge in data["search"]["edges"]}
            <= {"Statement", "Claim", "Evidence", "Event", "Actor"}
            and {edge["match"] for edge in data["search"]["edges"]} <= {"TEXT", "SIMILAR"}
        ),
    ),
    Case(
        "a JSON document read as typed objects (the dossier), keys renamed",
        f'{{ claim(id: "{CLAIM}") {{ dossier {{ n: supporterCount disputerCount }} }} }}',
        lambda data: data["claim"]["dossier"] == {"n": 7, "disputerCount": 1},
    ),
    Case(
        "a summary over a whole list (the timeline's undated counts)",
        "{ timeline(first: 1) { undatedEvents undatedStatements edges { node { precision } } } }",
        lambda data: (
            data["timeline"]["undatedEvents"] >= 0
            and data["timeline"]["undatedStatements"] >= 0
            and len(data["timeline"]["edges"]) == 1
        ),
    ),
]


@pytest.mark.parametrize("case", COVERED, ids=[case.name for case in COVERED])
async def test_covered(operations: PreparedOperations, database: Database, case: Case) -> None:
    data = await compiled(operations, database, case.query, case.variables)
    assert case.check(data), data


async def test_a_connection_pages_counts_and_continues(
    operations: PreparedOperations, database: Database
) -> None:
    supporting = await count(
        database,
        "SELECT count(*) FROM stance WHERE claim_id = $1 AND position = 'supports'",
        CLAIM,
    )
    query = (
        "query ($after: String) { claim(id: "
        f'"{CLAIM}") {{ supporters(first: 2, after: $after) {{ totalCount '
        "pageInfo { hasNextPage endCursor } edges { cursor node { statement { slug } } } } } }"
    )
    first = (await compiled(operations, database, query, {"after": None}))["claim"]["supporters"]
    assert first["totalCount"] == supporting > 2
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    after = {"after": first["pageInfo"]["endCursor"]}
    second = (await compiled(operations, database, query, after))["claim"]["supporters"]
    seen = [edge["node"]["statement"]["slug"] for edge in first["edges"] + second["edges"]]
    assert len(set(seen)) == 4 and seen == sorted(seen)  # stances list by id: statement--claim


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('mutation { deleteClaim(id: "x", expectedVersion: 1) { __typename } }', "mutation"),
        ("{ claim(id: ) }", "invalid"),
        ("query A { sources { totalCount } } query B { actors { totalCount } }", "operation"),
    ],
    ids=["a mutation", "an invalid document", "no operation named of several"],
)
def test_not_compiled_at_all(operations: PreparedOperations, query: str, reason: str) -> None:
    assert operations.operation(query, None) == reason


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ __schema { queryType { name } } }", None),
        ("{ claims(first: 1000) { totalCount } }", None),
        ("query ($id: ID!) { node(id: $id) { id } }", {"id": global_id("Nothing", "x")}),
    ],
    ids=["introspection", "first out of range", "a global id of no type"],
)
async def test_left_to_the_resolvers(
    operations: PreparedOperations, database: Database, query: str, variables: dict[str, Any] | None
) -> None:
    """Introspection is not compiled; arguments the resolvers refuse are refused by them, so
    that the error is the reference path's own."""
    operation = operations.operation(query, None)
    assert isinstance(operation, PreparedOperation)
    assert await operation.execute(database, variables) is None
