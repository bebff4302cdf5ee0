"""The schema documents itself: every type, field, argument and enum value has a description."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from api.graphql.schema import create_schema


def test_every_type_and_field_is_described() -> None:
    schema = create_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {
            "String",
            "Int",
            "Float",
            "Boolean",
            "ID",
            "Date",
            "DateTime",
            "GlobalID",
        }:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
        if isinstance(kind, GraphQLEnumType) and name.endswith("Sort"):
            missing += [
                f"{name}.{value}" for value, item in kind.values.items() if not item.description
            ]
    assert missing == []


def test_connections_have_edges_page_info_and_total_count() -> None:
    schema = create_schema()._schema
    connections = [kind for name, kind in schema.type_map.items() if name.endswith("Connection")]
    assert len(connections) >= 8
    for connection in connections:
        assert isinstance(connection, GraphQLObjectType)
        assert {"edges", "pageInfo", "totalCount"} <= set(connection.fields)
