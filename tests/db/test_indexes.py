"""Every connection's default order has an index: its parent column, then the sort's keys.

So that a parent's first page is a range scan that stops after the page, however many
children the parent has (a claim with thousands of supporters).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from api.db.engine import Database
from api.store.entities import ENTITIES
from api.store.kit.entity import Relation
from api.store.kit.pagination import Key

RELATIONS = [relation for entity in ENTITIES.values() for relation in entity.relations.values()]


def key_sql(key: Key) -> str:
    if key.nulls is None:
        return key.column
    return f"COALESCE({key.column}, '{key.nulls.isoformat()}'::date)"


def wanted(relation: Relation) -> list[str]:
    columns = [relation.parent_column]
    columns += list(relation.fixed)  # a fixed filter compares the column of its name
    sort = relation.child.sorts[relation.child.default_sort]
    for key in sort.keys:
        if key_sql(key) not in columns:
            columns.append(key_sql(key))
    return columns


@pytest.mark.parametrize(
    "relation", RELATIONS, ids=[r.name + ":" + r.child.name for r in RELATIONS]
)
async def test_each_relation_is_indexed_in_its_order(
    database: Database, relation: Relation
) -> None:
    async with database.engine.connect() as connection:
        result = await connection.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = :table"),
            {"table": relation.child.table.name},
        )
        definitions = [row[0] for row in result]
    leading = ", ".join(wanted(relation))
    # PostgreSQL quotes reserved words ("position") in index definitions.
    columns = [
        re.sub(r"^.*? USING btree \((.*)\)$", r"\1", definition).replace('"', "")
        for definition in definitions
    ]
    assert any(found.startswith(leading) for found in columns), (leading, columns)
