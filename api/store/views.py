"""Read views: a resource, or a page of a list, as JSON that PostgreSQL writes in one query.

A view is a representation (a pydantic model: REST's response schema) read over the entity
map: each field of the model is, by its name, a column, a linked row (a nested model), a
relation's children (a list of models), an object of the row's own columns (span, place) or
one of the counts below. The JSON text goes out as PostgreSQL wrote it, so a page of 50 costs
Python no more than one resource. Statements are compiled once per shape of the request
(which filters are given, the sort, whether a cursor is) and run on the asyncpg pool.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Union, get_args, get_origin

import asyncpg
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.sql import FromClause

from api.db.engine import Database
from api.db.models import TABLES
from api.errors import NotFound
from api.store.compiled import Compiled, Parameters
from api.store.entities import ENTITIES, Entity
from api.store.pagination import PageRequest, decode_cursor, resolve_sort
from api.store.projection import (
    Builder,
    Column,
    Computed,
    Fields,
    Items,
    Many,
    NextCursor,
    One,
    Page,
    Value,
    embedded,
    iso_datetime,
)
from api.vocabulary import EvidenceRelation, Position

# -- counts -----------------------------------------------------------------------------------


def _counts(position: Any, vocabulary: type[StrEnum], counted: Any = None) -> Any:
    """`{value: count}` for every value of the vocabulary, zeros included; rows are counted
    (`count(*)`) unless `counted` is given, so that an index on (parent, position) answers
    without reading the table."""
    count = sa.func.count if counted is None else lambda: sa.func.count(counted)
    return sa.func.json_build_object(
        *[item for value in vocabulary for item in (value.value, count().filter(position == value))]
    )


def _actor_statement_counts(row: FromClause) -> Any:
    said, stance = TABLES["statement"].alias(), TABLES["stance"].alias()
    return (
        sa.select(_counts(stance.c.position, Position, sa.distinct(said.c.id)))
        .select_from(said.join(stance, stance.c.statement_id == said.c.id))
        .where(said.c.speaker_id == row.c.id)
        .scalar_subquery()
    )


def _claim_counts(child: str, column: str, vocabulary: type[StrEnum]) -> Callable[[Any], Any]:
    def build(row: FromClause) -> Any:
        rows = TABLES[child].alias()
        return (
            sa.select(_counts(rows.c[column], vocabulary))
            .where(rows.c.claim_id == row.c.id)
            .scalar_subquery()
        )

    return build


#: Values a representation may hold beside columns and links, by (entity, field).
COMPUTED: dict[tuple[str, str], Callable[[FromClause], Any]] = {
    ("actor", "statement_counts"): _actor_statement_counts,
    ("claim", "statement_counts"): _claim_counts("stance", "position", Position),
    ("claim", "evidence_counts"): _claim_counts("evidence", "relation", EvidenceRelation),
    ("source", "text_length"): lambda row: sa.func.char_length(row.c.text),
    ("audit_log", "key"): lambda row: row.c.api_key_id,
}


# -- representations --------------------------------------------------------------------------


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model an annotation holds (in `X | None` or `list[X]`), and whether
    it is a list."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        for argument in get_args(annotation):
            found, many = _model_in(argument)
            if found is not None:
                return found, many
        return None, False
    if origin is list:
        found, _ = _model_in(get_args(annotation)[0])
        return found, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _utc(value: Any) -> Any:
    """Timestamps as pydantic writes them, which REST has always served."""
    return iso_datetime(value, "Z")


def _is_datetime(annotation: Any) -> bool:
    return annotation is datetime or datetime in get_args(annotation)


def representation(model: type[BaseModel], entity: Entity) -> Fields:
    """The selection that renders `model` from rows of `entity`, field by field."""
    selected: list[tuple[str, Value]] = []
    for name, info in model.model_fields.items():
        nested, many = _model_in(info.annotation)
        value: Value
        if (entity.name, name) in COMPUTED:
            value = Computed(COMPUTED[entity.name, name])
        elif nested is not None and many:
            relation = entity.relations[name]
            value = Many(relation, representation(nested, relation.child))
        elif nested is not None and name in entity.links:
            link = entity.links[name]
            value = One(link, representation(nested, link.target))
        elif nested is not None:
            inner = embedded(entity)[name]
            value = inner.select(tuple((key, key) for key in nested.model_fields))
        elif _is_datetime(info.annotation):
            value = Column(name, _utc)
        else:
            value = Column(name)
        selected.append((name, value))
    return tuple(selected)


@dataclass
class View:
    """A representation of one entity, with its statements compiled per request shape."""

    entity: Entity
    fields: Fields
    _compiled: dict[Any, Compiled] = field(default_factory=dict)

    @classmethod
    def of(cls, entity: str, model: type[BaseModel]) -> View:
        found = ENTITIES[entity]
        return cls(found, representation(model, found))

    def compiled(self, shape: Any, build: Callable[[], Compiled]) -> Compiled:
        found = self._compiled.get(shape)
        if found is None:
            found = self._compiled[shape] = build()
        return found


# -- reads ------------------------------------------------------------------------------------


def _one(view: View) -> Compiled:
    def build() -> Compiled:
        parameters = Parameters()
        rows = view.entity.table.alias()
        select = (
            sa.select(sa.cast(Builder().object(view.fields, rows, view.entity), sa.Text))
            .select_from(rows)
            .where(rows.c.id == parameters.add(_id, "text"))
        )
        return Compiled.of(select, parameters)

    return view.compiled("one", build)


async def one(database: Database, view: View, id: str) -> bytes:
    """The resource `id` as JSON; NotFound if there is none."""
    compiled = _one(view)
    body = await compiled.fetchval(database, compiled.arguments(id))
    if body is None:
        raise NotFound(view.entity.name, id)
    return str(body).encode()


async def one_on(connection: asyncpg.Connection, view: View, id: str) -> bytes:
    """The resource `id` as a write transaction sees it (its own changes included)."""
    compiled = _one(view)
    body = await compiled.fetchval_on(connection, compiled.arguments(id))
    if body is None:
        raise NotFound(view.entity.name, id)
    return str(body).encode()


@dataclass(frozen=True)
class Within:
    """A sub-collection's parent: `filter` of the listed entity takes the parent's id, and
    a parent that does not exist is a 404, not an empty list."""

    entity: str
    filter: str
    id: str


@dataclass(frozen=True)
class _Request:
    filters: Mapping[str, Any]
    limit: int
    after: list[Any] | None
    parent: str | None


async def page(
    database: Database,
    view: View,
    request: PageRequest,
    *,
    filters: Mapping[str, Any],
    sort: str | None = None,
    within: Within | None = None,
) -> tuple[bytes, str | None]:
    """A page of the list as `{"data": [...], "next_cursor": ...}` JSON, and the cursor."""
    entity = view.entity
    chosen = resolve_sort(entity.sorts, sort, entity.default_sort)
    given = {name: entity.filter(name).value(value) for name, value in filters.items()}
    if within is not None:
        given[within.filter] = within.id
    after = None if request.after is None else decode_cursor(chosen, request.after)
    inputs = _Request(given, request.limit, after, None if within is None else within.id)
    shape = ("page", chosen.name, frozenset(given), after is not None, within is not None)

    def build() -> Compiled:
        parameters = Parameters()
        values = {
            name: parameters.add(_filter(name), entity.filter(name).sql_type) for name in given
        }
        first = parameters.add(_limit, "int")
        keys = None
        if after is not None:
            keys = tuple(
                parameters.add(_after(index), key.sql_type) for index, key in enumerate(chosen.keys)
            )
        listing = Page(
            entity,
            chosen,
            first,
            (("data", Items(view.fields)), ("next_cursor", NextCursor())),
            filters=values,
            after=keys,
        )
        select, more, end_cursor = Builder().page_select(listing)
        select = select.with_only_columns(
            sa.cast(select.selected_columns[0], sa.Text),
            sa.case((more, end_cursor), else_=sa.null()),
        )
        if within is not None:
            parent = ENTITIES[within.entity].table.alias()
            exists = sa.exists().where(parent.c.id == parameters.add(_parent, "text"))
            select = select.having(exists)
        return Compiled.of(select, parameters)

    compiled = view.compiled(shape, build)
    row = await compiled.fetchrow(database, compiled.arguments(inputs))
    if row is None:
        assert within is not None
        raise NotFound(within.entity, within.id)
    return str(row[0]).encode(), row[1]


async def source_text(database: Database, id: str) -> str:
    pool = await database.driver_pool()
    text = await pool.fetchval("SELECT text FROM source WHERE id = $1", id)
    if text is None:
        raise NotFound("source", id)
    return str(text)


def _id(inputs: Any) -> Any:
    return inputs


def _filter(name: str) -> Callable[[_Request], Any]:
    return lambda inputs: inputs.filters[name]


def _limit(inputs: _Request) -> int:
    return inputs.limit


def _after(index: int) -> Callable[[_Request], Any]:
    return lambda inputs: inputs.after[index] if inputs.after is not None else None


def _parent(inputs: _Request) -> Any:
    return inputs.parent
