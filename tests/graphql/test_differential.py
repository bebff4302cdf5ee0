"""The compiled path and the resolvers give the same answers: generated operations, paging.

hypothesis-graphql writes operations over the real schema; their arguments are then made
realistic (ids of rows that exist, as slugs and global ids, cursors taken from earlier pages of
every list, filter values that match rows) while keeping a share of wrong ones (a cursor of
another sort, a global id of another type, `first` out of range), and about half of them pass
their arguments as variables. Each goes through both paths (tests/graphql/conftest.py), which
must answer with the same JSON; most must be answered by the compiled path, or the test
would prove nothing.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
from typing import Any

import httpx
import pytest
from graphql import (
    ArgumentNode,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    parse,
    print_ast,
    type_from_ast,
    value_from_ast_untyped,
    visit,
)
from graphql.language import ListTypeNode, NonNullTypeNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from api.graphql.fields import SQL, RelationOf
from api.graphql.schema import create_schema
from tests.graphql.conftest import both_paths

GENERATED = 510
SCHEMA: GraphQLSchema = create_schema()._schema
TYPES = ["Actor", "Statement", "Claim", "Event", "Evidence", "Source", "Stance"]
#: Which type an id argument or filter field names.
REFERS_TO = {
    "actor": "Actor",
    "statement": "Statement",
    "claim": "Claim",
    "event": "Event",
    "evidence": "Evidence",
    "source": "Source",
    "speaker": "Actor",
    "offeredBy": "Actor",
    "parent": "Event",
}


def global_id(kind: str, slug: str) -> str:
    return base64.b64encode(f"{kind}:{slug}".encode()).decode()


class Pools:
    """Real values to put in generated operations, read from the API itself."""

    def __init__(self) -> None:
        self.slugs: dict[str, list[str]] = {}
        #: Cursors of every list, by the name of the sort they were issued for.
        self.cursors: dict[str, list[str]] = {}
        self.tags: list[str] = []

    async def fill(self, client: httpx.AsyncClient) -> None:
        for kind, route in [
            ("Actor", "actors"),
            ("Statement", "statements"),
            ("Claim", "claims"),
            ("Event", "events"),
            ("Evidence", "evidence"),
            ("Source", "sources"),
        ]:
            data = (await client.get(f"/v1/{route}?limit=200")).json()["data"]
            self.slugs[kind] = [row["id"] for row in data]
            if kind == "Claim":
                self.tags = sorted({tag for row in data for tag in row["tags"]})
        stances = (await client.get("/v1/claims/unrest-was-colour-revolution/stances")).json()
        self.slugs["Stance"] = [row["id"] for row in stances["data"]]
        lists = [
            *(f"statements(first: 5, sort: {sort})" for sort in STATEMENT_SORTS),
            *(f"events(first: 4, sort: {sort})" for sort in ("START", "START_DESC", "ID")),
            *(f"actors(first: 6, sort: {sort})" for sort in ("ID", "NAME")),
            *(f"evidenceList(first: 4, sort: {sort})" for sort in ("POSITION", "ID")),
            "claims(first: 3)",
        ]
        for connection in lists:
            query = "{ list: " + connection + " { edges { cursor } } }"
            found = (await client.post("/graphql", json={"query": query})).json()["data"]
            for edge in found["list"]["edges"]:
                sort = json.loads(base64.urlsafe_b64decode(edge["cursor"] + "==="))[0]
                self.cursors.setdefault(sort, []).append(edge["cursor"])


STATEMENT_SORTS = ("POSITION", "SAID_ON", "SAID_ON_DESC", "ID")
#: Searches: phrases, `or`, exclusions, prefixes, a misspelled name, and only stop words.
SEARCHES = [
    '"colour revolution"',
    "coup or revol*",
    "Tokaev",
    '"color revolution" -nato',
    "foreign",
    "largely",
    "the of",
]


def plain(value: Any) -> str:
    """An enum's value, whether strawberry gives the member or its value."""
    return str(getattr(value, "value", value))


def sort_of(definition: Any, node: Any) -> str:
    """The name of the sort a connection field lists in: its `sort` argument's, or the
    default of what it lists."""
    given = next((arg for arg in node.arguments or () if arg.name.value == "sort"), None)
    if given is not None and hasattr(given.value, "value") and "sort" in definition.args:
        enum_type = get_named_type(definition.args["sort"].type)
        return plain(enum_type.values[given.value.value].value)
    if "sort" in definition.args:
        return plain(definition.args["sort"].default_value)
    mark = definition.extensions["strawberry-definition"].metadata[SQL]
    entity = mark.relation.child if isinstance(mark, RelationOf) else mark.entity
    return str(entity.default_sort)


class Realistic(Visitor):
    """Arguments of a generated operation made to mean something (see the module's doc);
    run inside a TypeInfoVisitor, which tells which field an argument belongs to."""

    def __init__(self, pools: Pools, rng: random.Random, info: TypeInfo) -> None:
        super().__init__()
        self.pools = pools
        self.rng = rng
        self.info = info
        self.field: list[Any] = []

    def enter_field(self, node: Any, *_: Any) -> None:
        self.field.append(node)

    def leave_field(self, node: Any, *_: Any) -> None:
        self.field.pop()

    def _id(self, kind: str | None) -> str:
        """A slug or a global id of `kind`; for Node fields (no kind) a global id of any."""
        if kind is None:
            kind = self.rng.choice(TYPES)
            return global_id(kind, self.rng.choice(self.pools.slugs[kind]))
        if self.rng.random() < 0.03:
            kind = self.rng.choice(TYPES)  # now and then a global id of another type
        slug = self.rng.choice(self.pools.slugs[kind])
        return global_id(kind, slug) if self.rng.random() < 0.4 else slug

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        name = node.name.value
        definition = self.info.get_field_def()
        value: Any = None
        if name == "first":
            choices = [0, 101] if self.rng.random() < 0.03 else [1, 2, 3, 5, 20]
            value = IntValueNode(value=str(self.rng.choice(choices)))
        elif name == "after":
            pool = self.pools.cursors.get(sort_of(definition, self.field[-1]), [])
            if self.rng.random() < 0.03:
                pool = ["garbage", *(c for cursors in self.pools.cursors.values() for c in cursors)]
            if pool and self.rng.random() < 0.7:
                value = StringValueNode(value=self.rng.choice(pool))
            else:
                value = NullValueNode()
        elif name == "id":
            kind = REFERS_TO.get(self.field[-1].name.value) if self.field else None
            value = StringValueNode(value=self._id(kind))
        elif name == "query":
            value = StringValueNode(value=self.rng.choice(SEARCHES))
        elif name == "ids":
            ids = [self._id(None) for _ in range(self.rng.randint(1, 4))]
            value = ListValueNode(values=tuple(StringValueNode(value=i) for i in ids))
        return None if value is None else ArgumentNode(name=node.name, value=value)

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> Any:
        name = node.name.value
        if not isinstance(node.value, StringValueNode):
            return None
        if name in REFERS_TO:
            return ObjectFieldNode(
                name=node.name, value=StringValueNode(value=self._id(REFERS_TO[name]))
            )
        if name == "tag" and self.pools.tags:
            return ObjectFieldNode(
                name=node.name, value=StringValueNode(value=self.rng.choice(self.pools.tags))
            )
        if name == "country":
            value = self.rng.choice(["RU", "kz", "US", "XX"])
            return ObjectFieldNode(name=node.name, value=StringValueNode(value=value))
        if name == "q":
            value = self.rng.choice(["putin", "Tok", "%", "_", "nobody at all"])
            return ObjectFieldNode(name=node.name, value=StringValueNode(value=value))
        return None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if "\x00" in node.value:
            return StringValueNode(value=node.value.replace("\x00", ""))
        return None


def realistic(query: str, pools: Pools, rng: random.Random) -> Any:
    info = TypeInfo(SCHEMA)
    return visit(parse(query), TypeInfoVisitor(info, Realistic(pools, rng, info)))


def as_variables(document: Any) -> tuple[Any, dict[str, Any]]:
    """The document with every argument passed as a variable instead of a literal."""
    info = TypeInfo(SCHEMA)
    variables: dict[str, Any] = {}
    definitions: list[VariableDefinitionNode] = []
    counter = itertools.count()

    class Lift(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
            argument = info.get_argument()
            if argument is None:
                return None
            name = f"v{next(counter)}"
            variables[name] = value_from_ast_untyped(node.value)
            definitions.append(
                VariableDefinitionNode(
                    variable=VariableNode(name=NameNode(value=name)), type=type_node(argument.type)
                )
            )
            return ArgumentNode(name=node.name, value=VariableNode(name=NameNode(value=name)))

    lifted = visit(document, TypeInfoVisitor(info, Lift()))
    operation = lifted.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    operation = OperationDefinitionNode(
        operation=operation.operation,
        name=NameNode(value="Generated"),
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=operation.selection_set,
    )
    return type(lifted)(definitions=(operation,)), variables


def type_node(graphql_type: Any) -> Any:
    if hasattr(graphql_type, "of_type") and type(graphql_type).__name__ == "GraphQLNonNull":
        return NonNullTypeNode(type=type_node(graphql_type.of_type))
    if hasattr(graphql_type, "of_type"):
        return ListTypeNode(type=type_node(graphql_type.of_type))
    return NamedTypeNode(name=NameNode(value=get_named_type(graphql_type).name))


#: Partial dates for generated filters (hypothesis-graphql needs a strategy for the scalar).
DATES = st.sampled_from(["2022", "2022-01", "2022-01-10", "2021-06", "2023"]).map(nodes.String)


def generated(count: int) -> list[str]:
    """`count` operations from hypothesis-graphql, the same ones every run."""
    found: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        deadline=None,
        database=None,
    )
    @given(queries(SCHEMA, allow_x00=False, custom_scalars={"PartialDate": DATES}))
    def collect(query: str) -> None:
        found.append(query)

    collect()
    return found


async def test_generated_operations_agree(client: httpx.AsyncClient) -> None:
    pools = Pools()
    await pools.fill(client)
    rng = random.Random(20221)
    operations = generated(GENERATED)
    assert len(operations) >= 500
    answered: dict[str, int] = {"compiled": 0, "fallback": 0}
    for number, query in enumerate(operations):
        document = realistic(query, pools, rng)
        variables: dict[str, Any] = {}
        if number % 2:
            document, variables = as_variables(document)
        body = {"query": print_ast(document), "variables": variables}
        response = await both_paths(client, body)
        answered[response.headers["x-graphql-path"]] += 1
    assert sum(answered.values()) == len(operations)
    assert answered["compiled"] > 0.6 * len(operations), answered


CURATED = [
    # fragments on the interface and on types, aliases, __typename everywhere
    """query Curated($id: ID!) { node(id: $id) { __typename id ...N ... on Actor { name
      statements(first: 2) { __typename totalCount pageInfo { __typename hasNextPage
      hasPreviousPage startCursor endCursor } edges { __typename cursor node { slug } } } }
      ... on Claim { text } } } fragment N on Node { id }""",
    # merged fields and aliases of one connection
    """{ claim(id: "unrest-was-colour-revolution") { a: supporters(first: 2) { edges { node {
      hedged } } } a: supporters(first: 2) { edges { node { note statement { slug } } } }
      b: stances(position: DISPUTES) { totalCount } c: evidence(relation: CONTEXT, first: 1) {
      edges { node { span { start exact __typename } offeredBy { name } } } } } }""",
    # nodes of several types, a missing one, events with places and dates
    """{ nodes(ids: ["QWN0b3I6dmxhZGltaXItcHV0aW4=", "Q2xhaW06bm9uZQ==",
      "RXZlbnQ6a2F6YWtoc3Rhbi11bnJlc3QtMjAyMg=="]) { id __typename ... on Event { title
      startDate startPrecision place { name country latitude longitude } children(first: 3,
      sort: START_DESC) { totalCount edges { node { slug } } } } } __typename }""",
    # timestamps, the whole text, root lists with filters
    """{ sources { edges { node { publishedAt modifiedAt textSha256 statements(first: 1,
      filter: {kind: QUOTE}, sort: SAID_ON_DESC) { edges { node { slug saidOn } } } } } }
      actors(filter: {q: "Tok", kind: PERSON}, sort: NAME) { totalCount edges { node { slug
      aliases country wikidata } } } }""",
]


@pytest.mark.parametrize("query", CURATED)
@pytest.mark.parametrize(
    "variables",
    [{"id": global_id("Actor", "vladimir-putin")}, {"id": global_id("Claim", "ned-is-cia-front")}],
)
async def test_curated_operations_agree(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> None:
    response = await both_paths(client, {"query": query, "variables": variables})
    assert response.headers["x-graphql-path"] == "compiled", response.text
    assert "errors" not in response.json()


@pytest.mark.parametrize("include", [True, False])
async def test_directives_pick_the_statement(client: httpx.AsyncClient, include: bool) -> None:
    query = """query ($with: Boolean!, $without: Boolean!) { claim(id: "ned-is-cia-front") {
      slug text @include(if: $with) tags @skip(if: $without) ... on Claim @include(if: $with) {
      description } } }"""
    body = {"query": query, "variables": {"with": include, "without": include}}
    response = await both_paths(client, body)
    claim = response.json()["data"]["claim"]
    assert response.headers["x-graphql-path"] == "compiled"
    assert ("text" in claim) is include and ("tags" in claim) is not include


@pytest.mark.parametrize(
    ("query", "sort"),
    [
        ("statements(first: 4, sort: %s, after: $after)", "SAID_ON_DESC"),
        ("statements(first: 4, sort: %s, after: $after)", "POSITION"),
        ("events(first: 3, sort: %s, after: $after)", "START"),
        ("actors(first: 5, sort: %s, after: $after)", "NAME"),
    ],
)
async def test_paging_agrees_page_after_page(
    client: httpx.AsyncClient, query: str, sort: str
) -> None:
    """Consecutive pages: each cursor the compiled path issues continues on both paths."""
    operation = "query ($after: String) { list: %s { totalCount edges { cursor node { id } }"
    operation += " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
    operation = operation % (query % sort)
    seen: list[str] = []
    after = None
    while True:
        response = await both_paths(client, {"query": operation, "variables": {"after": after}})
        assert response.headers["x-graphql-path"] == "compiled"
        page = response.json()["data"]["list"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]


def test_a_type_node_round_trips() -> None:
    """The lifting of literals into variables keeps argument types exact."""
    query = "{ statements(first: 2, filter: {kind: QUOTE}) { totalCount } }"
    document, variables = as_variables(parse(query))
    printed = print_ast(document)
    assert "$v0: Int!" in printed and "$v1: StatementFilter" in printed
    assert variables == {"v0": 2, "v1": {"kind": "QUOTE"}}
    assert type_from_ast(SCHEMA, document.definitions[0].variable_definitions[1].type)
