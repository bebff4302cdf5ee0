"""An operation compiled into one SQL statement that builds its `data`.

The compiler walks the operation as the executor would (api/graphql/compiler/selections.py)
and reads, for each field, the mark its declaration carries (api/graphql/fields.py): a
column, an object of the row's own columns, a link, a connection over a relation, a root
lookup or list. From those it writes a selection of the entity map (api/store/kit/projection.py),
which becomes the SQL. Anything unmarked (introspection, a field added without a mark) is
`Unsupported`: the operation then runs on the reference path.

Values come from the request at run time: every argument is a parameter with a getter that
reads it from the variables, and the checks of today's resolvers (`first` in range, cursors
of this list and sort, global ids of the right type) run in those getters, before the query.
What the compiler reads from the variables to decide how the statement is built (which filters are
given, the sort, whether a cursor is, `@skip`/`@include`) is part of the key the statement is
cached under (`statement_key`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    Undefined,
    VariableNode,
    get_named_type,
    get_nullable_type,
    value_from_ast,
)
from strawberry import relay

from api.graphql.compiler.selections import Grouped, collect, subfields
from api.graphql.connections import page_request
from api.graphql.fields import (
    SQL,
    ColumnOf,
    ComputedOf,
    DocumentOf,
    EmbeddedOf,
    LinkOf,
    RelationOf,
    RootList,
    RootOne,
    SummaryOf,
)
from api.graphql.ids import to_slug
from api.graphql.inputs import argument_value
from api.graphql.names import camel
from api.store.entities import BY_TYPE, TYPES
from api.store.kit import projection as p
from api.store.kit.compiled import Compiled, Parameters
from api.store.kit.entity import Entity, Relation
from api.store.kit.pagination import Sort, decode_cursor


class Unsupported(Exception):
    """Raised when an operation holds something the compiler does not cover; the reference
    path answers it instead."""


@dataclass
class Run:
    """One execution's inputs: the coerced variables, and argument values computed once."""

    variables: Mapping[str, Any]
    memo: dict[Any, Any] = field(default_factory=dict)


Getter = Callable[[Run], Any]


def statement_key(value: Any) -> Any:
    """What of a variable's value can change the statement: nulls, booleans and enum values
    stay; any other scalar is just present (its value is a parameter)."""
    if value is None or isinstance(value, bool | enum.Enum):
        return value
    if isinstance(value, Mapping):
        return tuple((key, statement_key(item)) for key, item in value.items())
    if isinstance(value, list):
        return "list" if value else "empty list"  # an empty list of types asks for all
    return ...


def _output(graphql_type: Any) -> Callable[[Any], Any] | None:
    """How a column's value is written for this GraphQL type, where PostgreSQL's JSON would
    differ from the reference path's: enum names, and timestamps as Python writes them."""
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLEnumType):
        names = {
            str(getattr(item.value, "value", item.value)): name
            for name, item in named.values.items()
        }
        if all(name == value.upper() for value, name in names.items()):
            return p.upper
        return lambda column: sa.case(names, value=column)
    if named.name == "DateTime":
        return p.iso_datetime
    return None


class Compiler:
    """Writes the selection of one operation, for what one request's variables decide of it
    (`statement_key`)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.parameters = Parameters()

    # -- arguments ----------------------------------------------------------------------------

    def argument(self, definition: GraphQLField, node: FieldNode, name: str) -> Getter:
        """The argument's value in a run: its literal or variable, else its default."""
        argument = definition.args[name]
        given = next((item for item in node.arguments or () if item.name.value == name), None)
        if given is None:
            default = argument.default_value
            return lambda run: default
        value_node = given.value
        if not isinstance(value_node, VariableNode) and not _has_variables(value_node):
            constant = value_from_ast(value_node, argument.type, {})
            return lambda run: constant

        def get(run: Run) -> Any:
            found = run.memo.get(id(value_node), Undefined)
            if found is Undefined:
                found = value_from_ast(value_node, argument.type, dict(run.variables))
                if found is Undefined:
                    found = argument.default_value
                run.memo[id(value_node)] = found
            return found

        return get

    def decided(self, getter: Getter) -> Any:
        """A value the statement is built for (what `statement_key` keeps of it)."""
        return getter(Run(self.variables))

    def parameter(self, getter: Getter, sql_type: str) -> p.SQL:
        return self.parameters.add(getter, sql_type)

    # -- objects ------------------------------------------------------------------------------

    def fields_of(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> Grouped:
        return collect(self.schema, self.fragments, self.variables, type_, subfields(nodes))

    def object(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> p.Fields:
        """The fields selected on a node type, over its entity's row."""
        entity = TYPES.get(type_.name)
        if entity is None:
            raise Unsupported(type_.name)
        return tuple(
            (key, self.field(type_, entity, field_nodes))
            for key, field_nodes in self.fields_of(type_, nodes).items()
        )

    def field(self, type_: GraphQLObjectType, entity: Entity, nodes: list[FieldNode]) -> p.Value:
        """One field of a type whose fields stand on `entity`'s row (a node, or an edge of
        a virtual entity's page), by its mark."""
        name = nodes[0].name.value
        if name == "__typename":
            return p.Constant(type_.name)
        definition = type_.fields[name]
        mark = _mark(definition)
        if name == "id" and mark is None and entity.is_node:
            return p.GlobalId(type_.name)
        if isinstance(mark, ColumnOf):
            column = mark.name or _python_name(definition)
            return p.Column(column, _output(definition.type))
        if isinstance(mark, ComputedOf):
            return p.Computed(entity.computed[mark.name])
        if isinstance(mark, DocumentOf):
            selected = self.json_fields(_object_type(definition), nodes)
            return p.FromJson(entity.computed[mark.name], selected)
        if isinstance(mark, EmbeddedOf):
            return self.embedded(entity, mark.name, definition, nodes)
        if isinstance(mark, LinkOf):
            link = entity.links[mark.name]
            return p.One(link, self.object(_object_type(definition), nodes))
        if isinstance(mark, RelationOf):
            return self.page(
                mark.relation.child, definition, nodes, mark.relation, mark.relation.arguments
            )
        raise Unsupported(f"{type_.name}.{name}")

    def json_fields(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> p.JsonFields:
        """The keys selected of a JSON document's object, by the GraphQL type reading it."""
        selected: list[tuple[str, p.JsonField]] = []
        for key, field_nodes in self.fields_of(type_, nodes).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                selected.append((key, p.Constant(type_.name)))
                continue
            definition = type_.fields[name]
            mark = _mark(definition)
            json_name = mark.name if isinstance(mark, ColumnOf) and mark.name else None
            json_name = json_name or _python_name(definition)
            named = get_named_type(definition.type)
            if isinstance(named, GraphQLObjectType):
                inner = self.json_fields(named, field_nodes)
                listed = isinstance(get_nullable_type(definition.type), GraphQLList)
                item: p.JsonField = (
                    p.JsonList(json_name, inner) if listed else p.JsonObject(json_name, inner)
                )
                selected.append((key, item))
            else:
                selected.append((key, p.JsonKey(json_name, _output(definition.type))))
        return tuple(selected)

    def embedded(
        self, entity: Entity, name: str, definition: GraphQLField, nodes: list[FieldNode]
    ) -> p.Held:
        type_ = _object_type(definition)
        inner: list[tuple[str, str | p.Constant]] = []
        for key, field_nodes in self.fields_of(type_, nodes).items():
            field_name = field_nodes[0].name.value
            inner.append(
                (key, p.Constant(type_.name) if field_name == "__typename" else field_name)
            )
        return p.Held(entity.embedded[name], tuple(inner))

    # -- connections --------------------------------------------------------------------------

    def page(
        self,
        entity: Entity,
        definition: GraphQLField,
        nodes: list[FieldNode],
        relation: Relation | None = None,
        arguments: tuple[str, ...] = (),
    ) -> p.PageSelection:
        node = nodes[0]
        first_of = self.argument(definition, node, "first")
        after_of = self.argument(definition, node, "after")

        def first(run: Run) -> int:
            request = page_request(first_of(run), after_of(run))
            return request.limit

        filters: dict[str, Any] = {}
        if "filter" in definition.args:
            filter_of = self.argument(definition, node, "filter")
            given = self.decided(filter_of) or {}
            present: dict[str, Getter] = {}
            for item in entity.filters:
                if given.get(camel(item.name)) is None:
                    continue
                value_of = present[item.name] = _filter_value(filter_of, item, camel(item.name))
                if item.structural:
                    filters[item.name] = self.decided(value_of)
                else:
                    filters[item.name] = self.parameter(_bound(item, value_of), item.sql_type)
            self.parameters.check(_checked(entity, present))
        for name in arguments:
            argument_of = self.argument(definition, node, name)
            if self.decided(argument_of) not in (None, []):  # an empty list asks for all
                item = entity.filter(name)
                value_of = _plain_value(argument_of, item, name)
                filters[name] = self.parameter(_bound(item, value_of), item.sql_type)
        if relation is not None:
            filters.update({name: sa.literal(value) for name, value in relation.fixed.items()})

        sort = entity.sorts[entity.default_sort]
        if "sort" in definition.args:
            sort = entity.sorts[self.decided(self.argument(definition, node, "sort")).value]
        after: tuple[p.SQL, ...] | None = None
        if self.decided(after_of) is not None:
            after = tuple(
                self.parameter(_cursor_key(after_of, sort, index), key.sql_type)
                for index, key in enumerate(sort.keys)
            )
        return p.PageSelection(
            entity,
            sort,
            self.parameter(first, "int"),
            self.connection(_object_type(definition), nodes, entity),
            relation=relation,
            filters=filters,
            after=after,
        )

    def connection(
        self, type_: GraphQLObjectType, nodes: list[FieldNode], entity: Entity
    ) -> tuple[tuple[str, p.PagePart], ...]:
        parts: list[tuple[str, p.PagePart]] = []
        for key, field_nodes in self.fields_of(type_, nodes).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                parts.append((key, p.Constant(type_.name)))
            elif name == "totalCount":
                parts.append((key, p.TotalCount()))
            elif name == "edges":
                edge = _object_type(type_.fields[name])
                parts.append((key, self.edges(edge, field_nodes, entity)))
            elif name == "pageInfo":
                parts.append((key, self.page_info(_object_type(type_.fields[name]), field_nodes)))
            elif isinstance(mark := _mark(type_.fields[name]), SummaryOf):
                parts.append((key, p.Summary(entity.summaries[mark.name])))
            else:
                raise Unsupported(f"{type_.name}.{name}")
        return tuple(parts)

    def edges(self, type_: GraphQLObjectType, nodes: list[FieldNode], entity: Entity) -> p.Edges:
        """An edge's cursor, its node (a union's dispatched on the row's type), and any
        field of its own over the page's row (a search hit's rank, snippet, span)."""
        parts: list[tuple[str, p.Cursor | p.Node | p.Value]] = []
        for key, field_nodes in self.fields_of(type_, nodes).items():
            name = field_nodes[0].name.value
            if name == "cursor":
                parts.append((key, p.Cursor()))
            elif name == "node":
                node_type = get_named_type(type_.fields[name].type)
                if isinstance(node_type, GraphQLUnionType):
                    by_entity = {
                        BY_TYPE[member.name]: self.object(member, field_nodes)
                        for member in node_type.types
                    }
                    parts.append((key, p.Dispatch("type", "id", by_entity)))
                else:
                    node_fields = self.object(_object_type(type_.fields[name]), field_nodes)
                    parts.append((key, p.Node(node_fields)))
            else:
                parts.append((key, self.field(type_, entity, field_nodes)))
        return p.Edges(tuple(parts))

    def page_info(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> p.PageInfo:
        known: dict[str, p.PageInfoPart] = {
            "hasNextPage": p.HasNext(),
            "hasPreviousPage": p.HasPrevious(),
            "startCursor": p.StartCursor(),
            "endCursor": p.EndCursor(),
            "__typename": p.Constant(type_.name),
        }
        parts: list[tuple[str, p.PageInfoPart]] = []
        for key, field_nodes in self.fields_of(type_, nodes).items():
            name = field_nodes[0].name.value
            if name not in known:
                raise Unsupported(f"{type_.name}.{name}")
            parts.append((key, known[name]))
        return p.PageInfo(tuple(parts))

    # -- the root -----------------------------------------------------------------------------

    def root(self, operation: OperationDefinitionNode) -> Compiled:
        query = self.schema.query_type
        assert query is not None
        grouped = collect(
            self.schema, self.fragments, self.variables, query, [operation.selection_set]
        )
        fields: list[tuple[str, p.RootValue]] = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                fields.append((key, p.Constant(query.name)))
                continue
            if name.startswith("__"):
                raise Unsupported(name)  # introspection
            definition = query.fields[name]
            mark = _mark(definition)
            if isinstance(mark, RootOne):
                id_of = self.argument(definition, nodes[0], "id")
                slug = _slug(id_of, mark.entity.type_name)
                fields.append(
                    (
                        key,
                        p.ById(
                            mark.entity,
                            self.parameter(slug, "text"),
                            self.object(_object_type(definition), nodes),
                        ),
                    )
                )
            elif isinstance(mark, RootList):
                page = self.page(mark.entity, definition, nodes, arguments=mark.arguments)
                fields.append((key, page))
            elif name == "node":
                id_of = self.argument(definition, nodes[0], "id")
                fields.append(
                    (
                        key,
                        p.AnyNode(
                            self.parameter(_node_part(id_of, "type"), "text"),
                            self.parameter(_node_part(id_of, "id"), "text"),
                            self.any_node(nodes),
                        ),
                    )
                )
            elif name == "nodes":
                ids_of = self.argument(definition, nodes[0], "ids")
                fields.append(
                    (
                        key,
                        p.AnyNodes(
                            self.parameter(_nodes_part(ids_of, "type"), "text[]"),
                            self.parameter(_nodes_part(ids_of, "id"), "text[]"),
                            self.any_node(nodes),
                        ),
                    )
                )
            else:
                raise Unsupported(name)
        return Compiled.of(p.root(tuple(fields)), self.parameters)

    def any_node(self, nodes: list[FieldNode]) -> dict[Entity, p.Fields]:
        """Each node type's selection, for a field whose type is the Node interface."""
        found: dict[Entity, p.Fields] = {}
        for type_name, entity in BY_TYPE.items():
            type_ = self.schema.get_type(type_name)
            assert isinstance(type_, GraphQLObjectType)
            found[entity] = self.object(type_, nodes)
        return found


# -- getters ----------------------------------------------------------------------------------


def _has_variables(node: Any) -> bool:
    if isinstance(node, VariableNode):
        return True
    children = [*(getattr(node, "fields", None) or ()), *(getattr(node, "values", None) or ())]
    return any(_has_variables(getattr(child, "value", child)) for child in children)


def _filter_value(filter_of: Getter, item: Any, key: str) -> Getter:
    return lambda run: argument_value(item, filter_of(run)[key], f"filter.{key}")


def _bound(item: Any, value_of: Getter) -> Getter:
    return lambda run: item.bind(value_of(run))


def _checked(entity: Entity, present: dict[str, Getter]) -> Callable[[Run], None]:
    """The entity's check of the filter values given together (an inverted date range)."""
    return lambda run: entity.check({name: get(run) for name, get in present.items()})


def _plain_value(argument_of: Getter, item: Any, name: str) -> Getter:
    return lambda run: argument_value(item, argument_of(run), name)


def _cursor_key(after_of: Getter, sort: Sort, index: int) -> Getter:
    """One key value of the `after` cursor (decoded once per run for all its keys)."""
    memo_key = ("cursor", id(after_of))

    def get(run: Run) -> Any:
        values = run.memo.get(memo_key)
        if values is None:
            values = run.memo[memo_key] = decode_cursor(sort, after_of(run), "after")
        return values[index]

    return get


def _slug(id_of: Getter, type_name: str) -> Getter:
    return lambda run: to_slug(str(id_of(run)), type_name)


class UnknownNode(Exception):
    """Raised when a global id names no type of ours: the reference path says why."""


def _global_id(value: Any) -> relay.GlobalID:
    found = relay.GlobalID.from_id(str(value))
    if found.type_name not in BY_TYPE:
        raise UnknownNode(found.type_name)
    return found


def _node_part(id_of: Getter, part: str) -> Getter:
    def get(run: Run) -> str:
        found = _global_id(id_of(run))
        return found.type_name if part == "type" else found.node_id

    return get


def _nodes_part(ids_of: Getter, part: str) -> Getter:
    def get(run: Run) -> list[str]:
        found = [_global_id(value) for value in ids_of(run)]
        return [item.type_name if part == "type" else item.node_id for item in found]

    return get


def _mark(definition: GraphQLField) -> Any:
    strawberry_field = (definition.extensions or {}).get("strawberry-definition")
    return None if strawberry_field is None else strawberry_field.metadata.get(SQL)


def _python_name(definition: GraphQLField) -> str:
    return str(definition.extensions["strawberry-definition"].python_name)


def _object_type(definition: GraphQLField) -> GraphQLObjectType:
    named = get_named_type(definition.type)
    if not isinstance(named, GraphQLObjectType):
        raise Unsupported(str(named))
    return named
