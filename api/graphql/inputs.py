"""GraphQL's filter inputs and sort enums, made from each entity's declared filters and sorts.

`StatementFilter` has one field per filter of the statement entity (camelCased), typed by the
filter's kind; `StatementSort` one value per sort. Nothing here is written per entity, so a
filter added to the store appears in REST and GraphQL at once.
"""

from __future__ import annotations

import enum
from typing import Any, NewType

import strawberry
from graphql import GraphQLError

from api.dates import DateMatch, Period, period
from api.graphql.ids import text, to_slug
from api.graphql.names import camel
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.events import EVENT
from api.store.evidence import EVIDENCE
from api.store.kit.entity import Entity
from api.store.kit.filters import Filter, ValueKind, Values
from api.store.kit.pagination import Sort
from api.store.search import SEARCH, SearchMatch, SearchType
from api.store.statements import STATEMENT
from api.store.timeline import TIMELINE, TimelineType
from api.vocabulary import (
    ActorKind,
    Attribution,
    ChangeAction,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

# The vocabularies become GraphQL enums in place (strawberry.enum returns the class itself),
# described as their docstrings describe them (as REST's schemas do).
for _vocabulary in (
    ActorKind,
    StatementKind,
    Position,
    Attribution,
    Precision,
    EventKind,
    EvidenceRelation,
    DateMatch,
    SearchType,
    SearchMatch,
    TimelineType,
    ChangeAction,
):
    strawberry.enum(_vocabulary, description=_vocabulary.__doc__)


def _period(value: Any) -> Period:
    """A client's error, said as GraphQL validation says it (not an unexpected ValueError)."""
    if not isinstance(value, str):
        raise GraphQLError("a partial date is a string: YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return period(value)
    except ValueError as error:
        raise GraphQLError(str(error)) from None


PartialDate = NewType("PartialDate", str)
#: The schema's `scalar_map` entry for PartialDate.
PARTIAL_DATE = strawberry.scalar(
    name="PartialDate",
    description="A date as precise as it is known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. As a "
    "filter it names that whole period.",
    serialize=str,
    parse_value=_period,
)


def _annotation(item: Filter) -> Any:
    if item.kind is ValueKind.ENUM:
        return item.vocabulary
    return PartialDate if item.kind is ValueKind.DATE else str


def _description(item: Filter) -> str:
    return item.described({ValueKind.ID: "global id or slug"})


def filter_input(entity: Entity, exclude: tuple[str, ...] = (), name: str | None = None) -> Any:
    """The input type narrowing a list of `entity` (StatementFilter, ...), but the filters
    `exclude`d (given as arguments of their own)."""
    filters = [item for item in entity.filters if item.name not in exclude]
    namespace: dict[str, Any] = {
        "__annotations__": {item.name: _annotation(item) | None for item in filters},
        **{
            item.name: strawberry.field(default=None, description=_description(item))
            for item in filters
        },
    }
    return strawberry.input(
        type(name or f"{entity.type_name}Filter", (), namespace),
        description=f"Narrows a list of {entity.plural}; every field given must match.",
    )


def _enum_name(sort: Sort) -> str:
    return sort.name.removeprefix("-").upper() + ("_DESC" if sort.name.startswith("-") else "")


def sort_enum(entity: Entity) -> Any:
    """The orders of a list of `entity` (StatementSort, ...), valued by sort name."""
    values = {
        _enum_name(sort): strawberry.enum_value(name, description=sort.description)
        for name, sort in entity.sorts.items()
    }
    created = enum.Enum(f"{entity.type_name}Sort", values)  # type: ignore[misc]
    return strawberry.enum(created, description=f"Orders of a list of {entity.plural}.")


#: Filters a search takes as arguments of their own rather than in its filter input.
SEARCH_ARGUMENTS = ("query", "types")
FILTERS = {
    **{entity.name: filter_input(entity) for entity in (ACTOR, STATEMENT, CLAIM, EVENT, EVIDENCE)},
    SEARCH.name: filter_input(SEARCH, exclude=SEARCH_ARGUMENTS, name="SearchFilter"),
    TIMELINE.name: filter_input(TIMELINE, name="TimelineFilter"),
}
SORTS = {
    entity.name: sort_enum(entity)
    for entity in (ACTOR, STATEMENT, EVENT, EVIDENCE)
    if len(entity.sorts) > 1
}


def filter_values(entity: Entity, given: Any) -> Values:
    """The store's filter values from a filter input: global ids become slugs, text is
    checked for NUL; anything wrong is the client's error (BAD_USER_INPUT)."""
    values: dict[str, Any] = {}
    for item in entity.filters:
        value = None if given is None else getattr(given, item.name, None)
        if value is not None:
            values[item.name] = argument_value(item, value, f"filter.{camel(item.name)}")
    entity.check(values)
    return values


def argument_value(item: Filter, value: Any, argument: str) -> Any:
    """One filter's value as given in GraphQL, as the store compares it."""
    if item.refers_to is not None:
        value = to_slug(value, item.refers_to, argument)
    elif isinstance(value, str):
        value = text(value, argument)
    return item.value(value, argument)
