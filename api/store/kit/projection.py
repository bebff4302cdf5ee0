"""Selections rendered as JSON by PostgreSQL: one SQL statement builds a whole response.

A selection is a tree of output keys over the entity map (api/store/entities.py): columns,
linked rows (`One`), every child of a relation (`Many`), pages of a list (`PageSelection`, with
cursors, page info and totals), objects dispatched on a type (`AnyNode`). `Builder` turns the
tree into nested `json_build_object`s, correlated subqueries and `json_agg`s, so that the
database returns the response's JSON text and Python never touches a row. REST's
representations and compiled GraphQL operations are both such trees.

Values a client chooses (ids, filters, `first`, cursors) are never written into the SQL: they
are `Parameters`, placeholders bound on each execution (api/store/kit/compiled.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by
from sqlalchemy.sql import ColumnElement, FromClause

from api.store.kit.entity import Entity, Link, Relation
from api.store.kit.filters import Values
from api.store.kit.objects import Embedded
from api.store.kit.pagination import Sort, Window, cursor_sql

SQL: TypeAlias = ColumnElement[Any]


# -- what a selection is made of --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the row, as PostgreSQL writes it in JSON unless `format` rewrites it."""

    name: str
    format: Callable[[SQL], SQL] | None = None


@dataclass(frozen=True)
class Constant:
    """The same JSON value for every row (`__typename`)."""

    value: str | bool | None


@dataclass(frozen=True)
class GlobalId:
    """The row's Relay global id: base64 of `Type:slug`."""

    type_name: str


@dataclass(frozen=True)
class Computed:
    """A value computed from the row by `build` (counts, for instance)."""

    build: Callable[[FromClause], SQL]


@dataclass(frozen=True)
class Held:
    """An object held in the row's own columns (a span, a place: `held` declares it), null
    where it has none; `fields` are the selected ones, by output key: a field's name, or a
    constant."""

    held: Embedded
    fields: tuple[tuple[str, str | Constant], ...]


@dataclass(frozen=True)
class One:
    """The linked row as an object, or null."""

    link: Link
    fields: Fields


@dataclass(frozen=True)
class Many:
    """Every child of the relation, in the child's default order (REST's embedded lists)."""

    relation: Relation
    fields: Fields


@dataclass(frozen=True)
class Dispatch:
    """The row of whichever entity the row's column `type_column` names (an entity's
    name), whose id is in `id_column`: a search hit's item."""

    type_column: str
    id_column: str
    fields: Mapping[Entity, Fields]


@dataclass(frozen=True)
class JsonKey:
    """A key of a JSON object, as it is (or rewritten by `format`, given its text)."""

    name: str
    format: Callable[[SQL], SQL] | None = None


@dataclass(frozen=True)
class JsonObject:
    """An object under a key, selected in turn (null where it is null)."""

    name: str
    fields: JsonFields


@dataclass(frozen=True)
class JsonList:
    """A list under a key: of objects, each selected in turn, or of plain values."""

    name: str
    fields: JsonFields | None


JsonField: TypeAlias = "JsonKey | JsonObject | JsonList | Constant"
JsonFields: TypeAlias = tuple[tuple[str, JsonField], ...]


@dataclass(frozen=True)
class FromJson:
    """A selection of a JSON document the row computes (`source`: a claim's dossier), so
    that a client gets the keys it asked for, named as it asked."""

    source: Callable[[FromClause], SQL]
    fields: JsonFields


@dataclass(frozen=True)
class Cursor:
    """An edge's cursor."""


@dataclass(frozen=True)
class Node:
    """An edge's node."""

    fields: Fields


@dataclass(frozen=True)
class Edges:
    """The page's edges: `[{cursor, node}]`, as selected."""

    fields: tuple[tuple[str, Cursor | Node | Value], ...]


@dataclass(frozen=True)
class Items:
    """The page's rows as a plain array of objects (REST's `data`)."""

    fields: Fields


class HasNext:
    """Whether rows follow the page."""


class HasPrevious:
    """Whether the page was asked for after a cursor."""


class StartCursor:
    """The first row's cursor."""


class EndCursor:
    """The last row's cursor."""


PageInfoPart: TypeAlias = HasNext | HasPrevious | StartCursor | EndCursor | Constant


@dataclass(frozen=True)
class PageInfo:
    fields: tuple[tuple[str, PageInfoPart], ...]


class TotalCount:
    """How many rows the whole list holds."""


@dataclass(frozen=True)
class Summary:
    """A value over the whole list, from its filters (`Entity.summaries`)."""

    build: Callable[[Values], SQL]


class NextCursor:
    """The cursor of the next page, or null on the last (REST's `next_cursor`)."""


PagePart: TypeAlias = Edges | Items | PageInfo | TotalCount | NextCursor | Summary | Constant


@dataclass(frozen=True)
class PageSelection:
    """A page of `entity` rows (of a relation's children, where `relation` is given) in
    `sort` order, narrowed by `filters`; `first` and `after` (the decoded cursor's key values)
    are SQL parameters, `after` None when no cursor is given."""

    entity: Entity
    sort: Sort
    first: SQL
    fields: tuple[tuple[str, PagePart], ...]
    relation: Relation | None = None
    filters: Values = field(default_factory=dict)
    after: tuple[SQL, ...] | None = None


@dataclass(frozen=True)
class ById:
    """The row of `entity` whose id is the parameter `id`, or null."""

    entity: Entity
    id: SQL
    fields: Fields


@dataclass(frozen=True)
class AnyNode:
    """The row whose type and id are the parameters `type_name` and `id`: a CASE over the
    types, each with its own selection (`fields` by type name)."""

    type_name: SQL
    id: SQL
    fields: Mapping[Entity, Fields]


@dataclass(frozen=True)
class AnyNodes:
    """`AnyNode` for each (type, id) of two parallel array parameters, in their order."""

    type_names: SQL
    ids: SQL
    fields: Mapping[Entity, Fields]


Value: TypeAlias = (
    Column
    | Constant
    | GlobalId
    | Computed
    | Held
    | One
    | Many
    | PageSelection
    | Dispatch
    | FromJson
)
Fields: TypeAlias = tuple[tuple[str, Value], ...]


# -- how PostgreSQL writes values as Python's JSON would --------------------------------------


def iso_datetime(value: SQL) -> SQL:
    """A timestamptz in UTC as Python's `isoformat()` writes it (GraphQL's reference path):
    microseconds only when there are any, where PostgreSQL's own JSON would trim their
    trailing zeros."""
    utc = sa.func.timezone("UTC", value)
    seconds = sa.func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
    micro = sa.case(
        (sa.extract("microseconds", utc) % 1_000_000 == 0, ""),
        else_=sa.func.to_char(utc, ".US"),
    )
    return sa.case((value.is_(None), sa.null()), else_=seconds + micro + "+00:00")


def upper(value: SQL) -> SQL:
    """A vocabulary value as its GraphQL enum name."""
    return sa.func.upper(value)


def global_id(type_name: str, id: SQL) -> SQL:
    """strawberry's `GlobalID.to_id()`: standard base64, padded; PostgreSQL wraps its base64
    output every 76 characters, and those newlines go."""
    encoded = sa.func.encode(
        sa.func.convert_to(sa.func.concat(f"{type_name}:", id), "UTF8"), "base64"
    )
    return sa.func.translate(encoded, "\n", "")


# -- the builder ------------------------------------------------------------------------------


def _object(pairs: list[tuple[str, SQL]]) -> SQL:
    if not pairs:
        return sa.func.json_build_object(type_=JSON)
    return sa.func.json_build_object(*[item for pair in pairs for item in pair], type_=JSON)


def _array(element: SQL, order: SQL | list[SQL], where: Any = None) -> SQL:
    keys = order if isinstance(order, list) else [order]
    aggregated: Any = sa.func.json_agg(aggregate_order_by(element, *keys), type_=JSON)
    if where is not None:
        aggregated = aggregated.filter(where)
    return sa.func.coalesce(aggregated, sa.literal_column("'[]'::json", JSON), type_=JSON)


class Builder:
    """Turns selections into SQL expressions over a row source (a table alias or a page)."""

    def object(self, fields: Fields, row: FromClause, entity: Entity) -> SQL:
        return _object([(key, self.value(value, row, entity)) for key, value in fields])

    def value(self, value: Value, row: FromClause, entity: Entity) -> SQL:
        if isinstance(value, Column):
            column: SQL = row.c[value.name]
            return column if value.format is None else value.format(column)
        if isinstance(value, Constant):
            return sa.literal(value.value) if value.value is not None else sa.null()
        if isinstance(value, GlobalId):
            return global_id(value.type_name, row.c.id)
        if isinstance(value, Computed):
            return value.build(row)
        if isinstance(value, Held):
            inner = _object(
                [
                    (
                        key,
                        self.value(item, row, entity)
                        if isinstance(item, Constant)
                        else value.held.sql(row, item),
                    )
                    for key, item in value.fields
                ]
            )
            return sa.case((row.c[value.held.present_if].is_(None), sa.null()), else_=inner)
        if isinstance(value, One):
            return self.one(value, row)
        if isinstance(value, Many):
            return self.many(value, row)
        if isinstance(value, FromJson):
            document = sa.select(value.source(row).label("document")).correlate(row).subquery()
            selected = self.json_object(document.c.document, value.fields)
            return sa.select(selected).select_from(document).scalar_subquery()
        if isinstance(value, Dispatch):
            kinds = row.c[value.type_column]
            branches = [
                (kinds == entity.name, self.by_id(ById(entity, row.c[value.id_column], fields)))
                for entity, fields in value.fields.items()
            ]
            return sa.case(*branches, else_=sa.null())
        return self.page(value, row)

    def json_object(self, document: SQL, fields: JsonFields) -> SQL:
        """The selected keys of a JSON object, renamed and formatted as selected."""
        pairs: list[tuple[str, SQL]] = []
        for key, item in fields:
            if isinstance(item, Constant):
                pairs.append((key, sa.literal(item.value)))
                continue
            inner: SQL = document.op("->", return_type=JSON)(item.name)
            if isinstance(item, JsonKey):
                if item.format is not None:
                    text = document.op("->>", return_type=sa.Text)(item.name)
                    inner = sa.func.to_json(item.format(text), type_=JSON)
                pairs.append((key, inner))
            elif isinstance(item, JsonObject):
                is_object = sa.func.json_typeof(inner) == "object"
                built = self.json_object(inner, item.fields)
                pairs.append((key, sa.case((is_object, built), else_=sa.null())))
            elif item.fields is None:
                pairs.append((key, inner))
            else:
                elements = (
                    sa.func.json_array_elements(inner)
                    .table_valued("value", with_ordinality="ordinality")
                    .render_derived()
                )
                element = self.json_object(elements.c.value, item.fields)
                listed = _array(element, elements.c.ordinality)
                pairs.append((key, sa.select(listed).select_from(elements).scalar_subquery()))
        return _object(pairs)

    def one(self, value: One, row: FromClause) -> SQL:
        target = value.link.target
        linked = target.table.alias()
        return (
            sa.select(self.object(value.fields, linked, target))
            .where(linked.c.id == row.c[value.link.column])
            .correlate(row)
            .scalar_subquery()
        )

    def many(self, value: Many, row: FromClause) -> SQL:
        child = value.relation.child
        rows = child.table.alias()
        sort = child.sorts[child.default_sort]
        return (
            sa.select(_array(self.object(value.fields, rows, child), sort.order_by(rows)))
            .where(rows.c[value.relation.parent_column] == row.c.id)
            .correlate(row)
            .scalar_subquery()
        )

    def by_id(self, value: ById) -> SQL:
        rows = value.entity.table.alias()
        return (
            sa.select(self.object(value.fields, rows, value.entity))
            .where(rows.c.id == value.id)
            .scalar_subquery()
        )

    def any_node(self, type_name: SQL, id: SQL, fields: Mapping[Entity, Fields]) -> SQL:
        branches = [
            (type_name == entity.type_name, self.by_id(ById(entity, id, selected)))
            for entity, selected in fields.items()
        ]
        return sa.case(*branches, else_=sa.null())

    def any_nodes(self, value: AnyNodes) -> SQL:
        wanted = (
            sa.func.unnest(value.type_names, value.ids)
            .table_valued("type_name", "id", with_ordinality="ordinal")
            .render_derived()
        )
        node = self.any_node(wanted.c.type_name, wanted.c.id, value.fields)
        return sa.select(_array(node, wanted.c.ordinal)).select_from(wanted).scalar_subquery()

    # -- pages --------------------------------------------------------------------------------

    def _rows(self, page: PageSelection, parent: FromClause | None) -> FromClause:
        """The page's rows: at most `first` + 1 (one more tells that a next page exists),
        numbered `_rn` in order, over a fresh alias of the table."""
        window = Window(page.sort, page.after, page.first + 1)
        rows = page.entity.rows(page.filters, window)
        where = self._where(page, rows, parent)
        if page.after is not None:
            where.append(page.sort.after(rows, page.after))
        keys = page.sort.order_by(rows)
        select = (
            sa.select(rows, sa.func.row_number().over(order_by=keys).label("_rn"))
            .where(*where)
            .order_by(*keys)
            .limit(page.first + 1)
        )
        if parent is not None:
            select = select.correlate(parent)
        return select.subquery()

    @staticmethod
    def _where(page: PageSelection, rows: FromClause, parent: FromClause | None) -> list[Any]:
        where = page.entity.where(rows, page.filters)
        if page.relation is not None and parent is not None:
            where.append(rows.c[page.relation.parent_column] == parent.c.id)
        return where

    def page(self, page: PageSelection, parent: FromClause | None = None) -> SQL:
        select, _, _ = self.page_select(page, parent)
        return select.scalar_subquery()

    def page_select(
        self, page: PageSelection, parent: FromClause | None = None
    ) -> tuple[sa.Select[Any], SQL, SQL]:
        """The SELECT of the page's object, and whether more rows follow and the last
        row's cursor, as expressions of that SELECT (REST also wants them as columns)."""
        listed = self._rows(page, parent)
        served = listed.c._rn <= page.first
        keys = [key.expression(listed) for key in page.sort.keys]
        cursor = cursor_sql(page.sort, keys)  # each row's, for edges only

        def first_of(ordered: Any, where: Any = None) -> list[SQL]:
            """The key values of the first row in `ordered` order (of those `where`): cursors
            of the page's ends are encoded once, not for every row."""
            values = []
            for key in keys:
                aggregated: Any = sa.func.array_agg(aggregate_order_by(key, ordered))
                values.append((aggregated if where is None else aggregated.filter(where))[1])
            return values

        more = sa.func.count() > page.first
        start_cursor = cursor_sql(page.sort, first_of(listed.c._rn))
        end_cursor = cursor_sql(page.sort, first_of(listed.c._rn.desc(), served))
        end_cursor = sa.case((sa.func.count() == 0, sa.null()), else_=end_cursor)

        def edge(item: Cursor | Node | Value) -> SQL:
            if isinstance(item, Cursor):
                return cursor
            if isinstance(item, Node):
                return self.object(item.fields, listed, page.entity)
            return self.value(item, listed, page.entity)

        def info(item: PageInfoPart) -> SQL:
            if isinstance(item, HasNext):
                return more
            if isinstance(item, HasPrevious):
                return sa.literal(page.after is not None)
            if isinstance(item, StartCursor):
                return sa.case((sa.func.count() == 0, sa.null()), else_=start_cursor)
            if isinstance(item, EndCursor):
                return end_cursor
            return self.value(item, listed, page.entity)

        def part(item: PagePart) -> SQL:
            if isinstance(item, Items):
                node = self.object(item.fields, listed, page.entity)
                return _array(node, listed.c._rn, served)
            if isinstance(item, Edges):
                edges = _object([(name, edge(value)) for name, value in item.fields])
                return _array(edges, listed.c._rn, served)
            if isinstance(item, PageInfo):
                return _object([(name, info(value)) for name, value in item.fields])
            if isinstance(item, TotalCount):
                return self._total(page, parent)
            if isinstance(item, NextCursor):
                return sa.case((more, end_cursor), else_=sa.null())
            if isinstance(item, Summary):
                return item.build(page.filters)
            return self.value(item, listed, page.entity)

        pairs = [(key, part(item)) for key, item in page.fields]
        # GROUP BY (): one row, even when no part aggregates (a page of only `totalCount`).
        select = sa.select(_object(pairs)).select_from(listed).group_by(sa.text("()"))
        return select, more, end_cursor

    def _total(self, page: PageSelection, parent: FromClause | None) -> SQL:
        if page.entity.counted is not None and parent is None:
            counted: SQL = page.entity.counted(page.filters)
            return counted
        rows = page.entity.rows(page.filters)
        select = (
            sa.select(sa.func.count()).select_from(rows).where(*self._where(page, rows, parent))
        )
        return (select if parent is None else select.correlate(parent)).scalar_subquery()


RootValue: TypeAlias = PageSelection | ById | AnyNode | AnyNodes | Constant


def root(fields: tuple[tuple[str, RootValue], ...]) -> sa.Select[Any]:
    """The statement whose one value is the JSON text of an object of root fields, which
    stand on no row: pages of whole lists, rows by id, nodes, constants."""
    builder = Builder()

    def value(item: RootValue) -> SQL:
        if isinstance(item, PageSelection):
            return builder.page(item)
        if isinstance(item, ById):
            return builder.by_id(item)
        if isinstance(item, AnyNode):
            return builder.any_node(item.type_name, item.id, item.fields)
        if isinstance(item, AnyNodes):
            return builder.any_nodes(item)
        return sa.literal(item.value) if item.value is not None else sa.null()

    return sa.select(sa.cast(_object([(key, value(item)) for key, item in fields]), sa.Text))
