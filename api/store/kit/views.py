"""Read views: a resource, or a page of a list, as JSON that PostgreSQL writes in one query.

A view is a representation (a pydantic model: REST's response schema) read over the entity
map: each field of the model is, by its name, a column, a linked row (a nested model), a
relation's children (a list of models), an object of the row's own columns (span, place) or
one of the counts below. The JSON text goes out as PostgreSQL wrote it, so a page of 50 costs
Python no more than one resource. A statement is compiled once for what the request decides
of it (which filters are given, the sort, whether a cursor is: `Narrowed.key`) and run on
the asyncpg pool.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

import asyncpg
import sqlalchemy as sa
from pydantic import BaseModel

from api.db.engine import Database
from api.errors import NotFound
from api.store import dossier as dossiers
from api.store import search
from api.store.kit import named
from api.store.kit.compiled import Compiled, Parameters
from api.store.kit.entity import Entity
from api.store.kit.pagination import PageRequest, Sort, decode_cursor, resolve_sort
from api.store.kit.projection import (
    Builder,
    Column,
    Computed,
    Fields,
    Held,
    Items,
    Many,
    NextCursor,
    One,
    PagePart,
    PageSelection,
    Summary,
    Value,
)

# -- representations --------------------------------------------------------------------------


def model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model an annotation holds (in `X | None` or `list[X]`), and whether
    it is a list."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        for argument in get_args(annotation):
            found, many = model_in(argument)
            if found is not None:
                return found, many
        return None, False
    if origin is list:
        found, _ = model_in(get_args(annotation)[0])
        return found, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def representation(model: type[BaseModel], entity: Entity) -> Fields:
    """The selection that renders `model` from rows of `entity`, field by field."""
    selected: list[tuple[str, Value]] = []
    for name, info in model.model_fields.items():
        nested, many = model_in(info.annotation)
        value: Value
        if name in entity.computed:
            value = Computed(entity.computed[name])
        elif nested is not None and many:
            relation = entity.relations[name]
            value = Many(relation, representation(nested, relation.child))
        elif nested is not None and name in entity.links:
            link = entity.links[name]
            value = One(link, representation(nested, link.target))
        elif nested is not None:
            value = Held(entity.embedded[name], tuple((key, key) for key in nested.model_fields))
        else:
            value = Column(name)
        selected.append((name, value))
    return tuple(selected)


@dataclass
class View:
    """A representation (`model`) of one entity, with its statements compiled once per key
    (what a request decides of the statement)."""

    entity: Entity
    model: type[BaseModel]
    fields: Fields
    #: The list's values beside its page (the timeline's `undated`), by summary name.
    summaries: tuple[str, ...] = ()
    _compiled: dict[Any, Compiled] = field(default_factory=dict)

    @classmethod
    def of(cls, entity: Entity, model: type[BaseModel], *, summaries: tuple[str, ...] = ()) -> View:
        return cls(entity, model, representation(model, entity), summaries)

    def compiled(self, key: Any, build: Callable[[], Compiled]) -> Compiled:
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = build()
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

    entity: Entity
    filter: str
    id: str


@dataclass(frozen=True)
class Narrowed:
    """A list as a client asked for it, checked: its sort, and the filters given (a
    sub-collection's parent among them), split into the `structural` ones (their values
    change the statement) and the `bound` ones (parameters of it, as bound)."""

    sort: Sort
    structural: dict[str, Any]
    bound: dict[str, Any]
    within: Within | None

    @property
    def key(self) -> tuple[Any, ...]:
        """What a statement compiled for this request depends on, beside its values."""
        return (
            self.sort.name,
            frozenset(self.bound),
            tuple(sorted(self.structural.items())),
            self.within is not None,
        )


def narrow(
    entity: Entity, *, filters: Mapping[str, Any], sort: str | None, within: Within | None
) -> Narrowed:
    """The list of `entity` that `filters`, `sort` and `within` ask for; a client's error
    (an unknown sort, a bad value, an inverted range) raises InvalidArgument."""
    chosen = resolve_sort(entity.sorts, sort, entity.default_sort)
    given = {name: entity.filter(name).value(value) for name, value in filters.items()}
    entity.check(given)
    if within is not None:
        given[within.filter] = within.id
    structural = {name: value for name, value in given.items() if entity.filter(name).structural}
    bound = {
        name: entity.filter(name).bind(value)
        for name, value in given.items()
        if name not in structural
    }
    return Narrowed(chosen, structural, bound, within)


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
    narrowed = narrow(entity, filters=filters, sort=sort, within=within)
    chosen, structural, bound = narrowed.sort, narrowed.structural, narrowed.bound
    after = None if request.after is None else decode_cursor(chosen, request.after)
    inputs = _Request(bound, request.limit, after, None if within is None else within.id)
    key = ("page", *narrowed.key, after is not None)

    def build() -> Compiled:
        parameters = Parameters()
        values: dict[str, Any] = {
            name: parameters.add(_filter(name), entity.filter(name).sql_type) for name in bound
        }
        values.update(structural)
        first = parameters.add(_limit, "int")
        keys = None
        if after is not None:
            keys = tuple(
                parameters.add(_after(index), key.sql_type) for index, key in enumerate(chosen.keys)
            )
        parts: list[tuple[str, PagePart]] = [
            ("data", Items(view.fields)),
            ("next_cursor", NextCursor()),
            *((name, Summary(entity.summaries[name])) for name in view.summaries),
        ]
        listing = PageSelection(entity, chosen, first, tuple(parts), filters=values, after=keys)
        select, more, end_cursor = Builder().page_select(listing)
        select = select.with_only_columns(
            sa.cast(select.selected_columns[0], sa.Text),
            sa.case((more, end_cursor), else_=sa.null()),
            sa.func.count() == 0,  # empty: then the records its filters name may not exist
        )
        if within is not None:
            parent = within.entity.table.alias()
            exists = sa.exists().where(parent.c.id == parameters.add(_parent, "text"))
            select = select.having(exists)
        return Compiled.of(select, parameters)

    compiled = view.compiled(key, build)
    try:
        row = await compiled.fetchrow(database, compiled.arguments(inputs))
    except asyncpg.PostgresError as error:
        raise search.refusal(error, field="q") or error from error
    if row is None:
        assert within is not None
        raise NotFound(within.entity.name, within.id)
    if row[2] and after is None:
        pool = await database.driver_pool()
        async with pool.acquire() as connection:
            await named.check(connection, entity, filters)
    return str(row[0]).encode(), row[1]


async def dossier(database: Database, id: str) -> bytes:
    """A claim's dossier as JSON (api/store/dossier.py); NotFound if no such claim."""
    pool = await database.driver_pool()
    body = await pool.fetchval(dossiers.BY_ID, id, *dossiers.LIMITS)
    if body is None:
        raise NotFound("claim", id)
    return str(body).encode()


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
