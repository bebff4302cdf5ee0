"""Each field's description is written once, and REST and GraphQL say the same of a field.

A description lives in one declaration (an entity's `fields`, a link or a list, a shape's
`Field`), which REST's schemas, GraphQL's types and the write documents read. Two tests keep
it so: no description text is written twice in the package, and wherever the OpenAPI
document and the SDL describe the same field of the same type, they describe it alike
(GraphQL naming the fields it mentions in camelCase).
"""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from collections.abc import Iterator

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from api.config import PROJECT_DIR
from api.graphql.names import camel, described

PACKAGE = PROJECT_DIR / "api"
SCHEMA = PROJECT_DIR / "schema"

#: REST schemas and their GraphQL twins where the names differ (others twin by name).
TWINS = {
    "Span": "TextSpan",
    "Participant": "EventParticipant",
    "ParticipantActor": "Actor",
    "AffiliationResource": "Affiliation",
    "ActorRef": "DossierActor",
    "Dossier": "ClaimDossier",
    "SearchHit": "SearchHitEdge",
    "ProblemReferrer": "Referrer",
    "ProblemLostQuote": "LostQuote",
}
WRITTEN = ("Source", "Actor", "Affiliation", "Claim", "Statement", "Stance", "Event", "Evidence")
TWINS.update({f"{kind}Input": f"Create{kind}Input" for kind in WRITTEN})
TWINS.update({f"{kind}Patch": f"Update{kind}Input" for kind in WRITTEN})


def _text(node: ast.expr) -> str | None:
    """A string constant, or an implicit or `+` concatenation of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _values(node: ast.expr | None) -> Iterator[ast.expr]:
    if isinstance(node, ast.Dict):
        yield from node.values
    elif node is not None:
        yield node


def declared() -> dict[str, list[str]]:
    """Every description the package writes, with where: `description=` arguments, a link's
    or a list's description, the values of `fields=` and of the `*_FIELDS` tables."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                for keyword in node.keywords:
                    if keyword.arg == "description":
                        candidates.append(keyword.value)
                    elif keyword.arg == "fields" and name == "Entity":
                        candidates.extend(_values(keyword.value))
                if name in ("Link", "Relation") and len(node.args) > 3:
                    candidates.append(node.args[3])
                if name == "Embedded" and len(node.args) > 2:
                    candidates.extend(_values(node.args[2]))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [getattr(target, "id", "") for target in targets]
                if any(name.endswith("_FIELDS") or name == "COMMON" for name in names):
                    candidates.extend(_values(node.value))
            for candidate in candidates:
                text = _text(candidate)
                if text:
                    where = f"{path.relative_to(PROJECT_DIR)}:{candidate.lineno}"
                    found[text.strip()].append(where)
    return found


def test_no_description_is_written_twice() -> None:
    twice = {text: places for text, places in declared().items() if len(places) > 1}
    assert twice == {}


def _fields(type_: object) -> dict[str, str | None]:
    if isinstance(type_, GraphQLObjectType | GraphQLInputObjectType | GraphQLInterfaceType):
        return {name: field.description for name, field in type_.fields.items()}
    return {}


def test_the_same_field_says_the_same_in_rest_and_graphql() -> None:
    openapi = json.loads((SCHEMA / "openapi.json").read_text(encoding="utf-8"))
    sdl = build_schema((SCHEMA / "schema.graphql").read_text(encoding="utf-8"))
    compared, differ = 0, []
    for name, schema in openapi["components"]["schemas"].items():
        twin = _fields(sdl.type_map.get(TWINS.get(name, name)))
        for field, spec in schema.get("properties", {}).items():
            graphql = "slug" if field == "id" and "slug" in twin else camel(field)
            if graphql not in twin or graphql == "id":  # GraphQL's `id` is a global id
                continue
            compared += 1
            if described(spec.get("description")) != twin[graphql]:
                differ.append(
                    f"{name}.{field}: REST {spec.get('description')!r}, GraphQL {twin[graphql]!r}"
                )
    assert compared > 150  # the twins were found
    assert differ == []
