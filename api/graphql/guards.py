"""What protects the GraphQL endpoint: a cost limit, error codes, and masked surprises.

Depth, alias and token limits are strawberry's own extensions (see schema.py). The cost limit
is ours: it multiplies each connection's `first` through the nesting, so that
`claims(first: 100) { ... stances(first: 100) { ... } }` costs 10,000 items before anything
runs. It reads the document only (a `first` given by variable counts as the maximum), so the
validation cache stays correct whatever the variables.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from api.errors import ClaimgraphError, DatabaseUnavailable
from api.graphql.connections import DEFAULT_FIRST, MAX_FIRST
from api.graphql.refusals import unavailable_error
from api.requests import request_id

log = logging.getLogger("claimgraph.graphql")

MAX_COST = 20_000


def _first(field: FieldNode, variables: dict[str, int]) -> int | None:
    """The `first` argument of a field: its literal, its variable's default, or MAX_FIRST."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            name = getattr(getattr(value, "name", None), "value", None)
            return variables.get(str(name), MAX_FIRST)
    return None


def costs(
    schema: GraphQLSchema, document: DocumentNode
) -> Iterator[tuple[OperationDefinitionNode, int]]:
    """Each operation of `document` and the items it could return."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    connections = connection_fields(schema)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        defaults: dict[str, int] = {}
        for variable in definition.variable_definitions or ():
            if isinstance(variable.default_value, IntValueNode):
                defaults[variable.variable.name.value] = int(variable.default_value.value)
        cost = _cost(definition.selection_set, 1, fragments, defaults, set(), connections)
        yield definition, cost


def cost_of(schema: GraphQLSchema, document: DocumentNode, name: str | None) -> int:
    """The items the operation `name` (or the only one) of `document` could return."""
    found = [
        cost
        for definition, cost in costs(schema, document)
        if name is None or (definition.name is not None and definition.name.value == name)
    ]
    return found[0] if len(found) == 1 else 0


def _cost(
    selection_set: SelectionSetNode | None,
    multiplier: int,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, int],
    seen: set[str],
    connections: frozenset[str],
) -> int:
    total = 0
    for selection, factor in _selections(selection_set, fragments, seen):
        if not isinstance(selection, FieldNode):
            continue
        first = _first(selection, variables)
        inner = multiplier * factor
        if first is not None or selection.name.value in connections:
            inner *= first if first is not None else DEFAULT_FIRST
            total += inner
        total += _cost(selection.selection_set, inner, fragments, variables, seen, connections)
    return total


def _selections(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> Iterator[tuple[Any, int]]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue  # cycles and unknown fragments are other rules' errors
            yield from _selections(fragments[name].selection_set, fragments, seen | {name})
        elif isinstance(selection, InlineFragmentNode):
            yield from _selections(selection.selection_set, fragments, seen)
        else:
            yield selection, 1


def cost_rule(max_cost: int = MAX_COST) -> type[ValidationRule]:
    """A validation rule refusing operations that could return more than `max_cost` items."""

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            for definition, cost in costs(context.schema, context.document):
                if cost > max_cost:
                    name = definition.name.value if definition.name else "the operation"
                    context.report_error(
                        GraphQLError(
                            f"{name} could return up to {cost:,} items (each connection's "
                            f"`first` multiplied through the nesting); the limit is "
                            f"{max_cost:,}. Ask for smaller pages.",
                            definition,
                            extensions={
                                "code": "GRAPHQL_VALIDATION_FAILED",
                                "reason": "QUERY_TOO_COSTLY",
                                "cost": cost,
                            },
                        )
                    )

    return CostLimit


@functools.cache
def connection_fields(schema: GraphQLSchema) -> frozenset[str]:
    """Names of the fields that return a connection (costed at DEFAULT_FIRST when `first`
    is left out), read off the schema."""
    return frozenset(
        name
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType)
        for name, field in type_.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    )


class ErrorCodes(MaskErrors):
    """Every error leaves with `extensions.code`; unexpected ones are masked and logged.

    Codes are Apollo Server's (BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED,
    GRAPHQL_PARSE_FAILED, INTERNAL_SERVER_ERROR), which GraphQL clients and tools know, plus
    SERVICE_UNAVAILABLE for a database outage (the response is then an HTTP 503);
    `extensions.reason` says more (BAD_CURSOR, BAD_GLOBAL_ID, BAD_ARGUMENT,
    QUERY_TOO_COSTLY). The store's errors keep their message: they are the client's to fix.
    Anything else is logged with the request id, which the masked message names.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: False)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._coded(error) for error in errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        extensions = dict(error.extensions or {})
        message = error.message
        if isinstance(original, DatabaseUnavailable):
            extensions.update(unavailable_error(original))
        elif isinstance(original, ClaimgraphError):
            extensions.update(code="BAD_USER_INPUT", reason=original.code)
        elif isinstance(original, GlobalIDValueError):
            extensions.update(code="BAD_USER_INPUT", reason="BAD_GLOBAL_ID")
        elif original is None or isinstance(original, GraphQLError):
            parse_failed = error.message.startswith("Syntax Error")
            extensions.setdefault(
                "code", "GRAPHQL_PARSE_FAILED" if parse_failed else "GRAPHQL_VALIDATION_FAILED"
            )
        else:
            rid = request_id.get()
            log.error(
                "unexpected error in GraphQL %s (request %s)", error.path, rid, exc_info=original
            )
            message = f"Unexpected error; quote request id {rid} when reporting it."
            extensions = {"code": "INTERNAL_SERVER_ERROR", "request_id": rid}
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )


def coded(response: dict[str, Any]) -> dict[str, Any]:
    """Give a code to any error that reached the HTTP layer without one (strawberry returns
    parse errors before extensions see them)."""
    for error in response.get("errors") or ():
        extensions = error.setdefault("extensions", {})
        if "code" not in extensions:
            parse_failed = str(error.get("message", "")).startswith("Syntax Error")
            extensions["code"] = (
                "GRAPHQL_PARSE_FAILED" if parse_failed else "GRAPHQL_VALIDATION_FAILED"
            )
    return response
