"""The kinds of GraphQL field, each made once: the resolver of the reference path, and the
mark (`metadata[SQL]`) that tells the compiler what the field is in the entity map.

A type declares its fields with these (`text: str = column()`, `speaker: Actor | None =
link()`): the field's name leads to the entity's declaration (api/store/kit/entity.py), which
says what it is and what it means, so the schema, the resolvers and the compiled SQL come
from one declaration. Resolvers call the row's node object (api/graphql/types.py: `Node`)
for the work, through DataLoaders.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from api.graphql.connections import DEFAULT_FIRST
from api.graphql.inputs import FILTERS, SORTS
from api.graphql.names import described
from api.store.kit.entity import Entity, Relation
from api.store.kit.filters import Filter, ValueKind

#: The metadata key of a field's SQL mark.
SQL = "claimgraph.sql"


@dataclass(frozen=True)
class ColumnOf:
    """A scalar read straight off the row: the column `name`, or the field's own name."""

    name: str | None = None


@dataclass(frozen=True)
class EmbeddedOf:
    """An object made of the row's own columns: `span` or `place`."""

    name: str


@dataclass(frozen=True)
class ComputedOf:
    """A value the entity computes from its row (`Entity.computed[name]`)."""

    name: str


@dataclass(frozen=True)
class SummaryOf:
    """A value over a whole list (`Entity.summaries[name]`), on its connection."""

    name: str


@dataclass(frozen=True)
class DocumentOf:
    """A JSON document the entity computes from its row (`Entity.computed[name]`), read as
    GraphQL objects: each field a key of the document (its name, or `column(name=...)`)."""

    name: str


@dataclass(frozen=True)
class LinkOf:
    """The row the entity's link `name` points at."""

    name: str


@dataclass(frozen=True)
class RelationOf:
    """A connection over the relation's children."""

    relation: Relation


@dataclass(frozen=True)
class RootOne:
    """A root field: one row of `entity` by global id or slug."""

    entity: Entity


@dataclass(frozen=True)
class RootList:
    """A root field: a connection over every row of `entity`; `arguments` are filters given
    as arguments of their own (a search's `query`), the others in the `filter` input."""

    entity: Entity
    arguments: tuple[str, ...] = ()


Mark = (
    ColumnOf
    | ComputedOf
    | DocumentOf
    | SummaryOf
    | EmbeddedOf
    | LinkOf
    | RelationOf
    | RootOne
    | RootList
)


def column(*, name: str | None = None, description: str | None = None) -> Any:
    """A scalar attribute, filled from the row's column (`name`, or the field's own) when the
    object is built; its description, unless given, is the entity's (`fill`)."""
    return strawberry.field(description=description, metadata={SQL: ColumnOf(name)})


@dataclass(frozen=True)
class Declared:
    """A field whose entity declares it by the field's own name: a link, a list, an object
    of the row's own columns, a computed value or document. `fill` makes the field once the
    name is known."""

    make: Callable[[Entity, str, str | None], Any]


def computed() -> Any:
    """A value computed from the row in SQL: an attribute on the reference path's object."""
    return Declared(
        lambda entity, name, text: strawberry.field(
            description=text, metadata={SQL: ComputedOf(name)}
        )
    )


def document() -> Any:
    """A JSON document computed in SQL (a claim's dossier), as typed objects."""

    def make(entity: Entity, name: str, text: str | None) -> Any:
        async def resolve(root: Any, info: strawberry.Info) -> Any:
            return await root.load_document(info, name)

        return strawberry.field(
            resolver=resolve, description=text, metadata={SQL: DocumentOf(name)}
        )

    return Declared(make)


def embedded() -> Any:
    """An object made of the row's own columns (`Entity.embedded`: a span, a place)."""

    def make(entity: Entity, name: str, text: str | None) -> Any:
        def resolve(root: Any, info: strawberry.Info) -> Any:
            return root.build_embedded(info, name)

        return strawberry.field(
            resolver=resolve, description=text, metadata={SQL: EmbeddedOf(name)}
        )

    return Declared(make)


def link() -> Any:
    """The row the entity's link of this name points at."""

    def make(entity: Entity, name: str, text: str | None) -> Any:
        async def resolve(root: Any, info: strawberry.Info) -> Any:
            return await root.load_link(info, name)

        return strawberry.field(resolver=resolve, description=text, metadata={SQL: LinkOf(name)})

    return Declared(make)


def relation() -> Any:
    """A connection over the entity's relation of this name."""
    return Declared(lambda entity, name, text: connection(entity.relations[name], text))


def filled(entity: Entity) -> Callable[[type], type]:
    """`fill` as a class decorator, for a type over an entity's rows that is not a `Row` (it
    goes under `@strawberry.type`, which must see the filled fields)."""

    def decorate(cls: type) -> type:
        fill(cls, entity)
        return cls

    return decorate


def fill(cls: type, entity: Entity) -> None:
    """Make the declared fields of a type over `entity` and describe every field that has no
    description of its own, from the entity's declaration (`slug` is the entity's `id`)."""
    for name, value in list(vars(cls).items()):
        text = described(entity.describe("id" if name == "slug" else name))
        if isinstance(value, Declared):
            setattr(cls, name, value.make(entity, name, text))
        elif isinstance(value, StrawberryField) and value.description is None:
            value.description = text


def _parameter(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def page_parameters(
    entity: Entity, *, arguments: tuple[str, ...], filterable: bool
) -> list[inspect.Parameter]:
    """`first` and `after`, the filters given one by one, and the filter input and sort."""
    parameters = [
        _parameter("first", int, DEFAULT_FIRST),
        _parameter("after", str | None, None),
    ]
    for name in arguments:
        parameters.append(_argument(entity.filter(name)))
    if filterable and entity.name in FILTERS:
        parameters.append(_parameter("filter", FILTERS[entity.name] | None, None))
    if filterable and entity.name in SORTS:
        sorts = SORTS[entity.name]
        parameters.append(_parameter("sort", sorts, sorts(entity.default_sort)))
    return parameters


def _argument(item: Filter) -> inspect.Parameter:
    """A filter given as an argument of its own: required (no default) or optional."""
    annotation: Any = item.vocabulary if item.kind is ValueKind.ENUM else str
    if item.many:
        annotation = list[annotation]
    if item.required:
        return _parameter(item.name, annotation, inspect.Parameter.empty)
    return _parameter(item.name, annotation | None, None)


def with_signature(resolve: Any, parameters: list[inspect.Parameter]) -> Any:
    """`resolve(root, info, **arguments)` as strawberry sees it: with these arguments."""
    resolve.__signature__ = inspect.Signature(
        [
            inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
            ),
            *parameters,
        ]
    )
    return resolve


def connection(relation: Relation, description: str | None) -> Any:
    """A connection over the relation's children, with the arguments the relation offers."""

    async def resolve(root: Any, info: strawberry.Info, **arguments: Any) -> Any:
        return await root.load_page(info, relation, arguments)

    parameters = page_parameters(
        relation.child, arguments=relation.arguments, filterable=relation.filterable
    )
    return strawberry.field(
        resolver=with_signature(resolve, parameters),
        description=description,
        metadata={SQL: RelationOf(relation)},
    )
