"""The reference path's batch reads answer for many parents with one query each, and agree
with the table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from api.db.engine import Database
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.entities import ENTITIES
from api.store.events import EVENT
from api.store.kit import batch
from api.store.kit.entity import Relation
from api.store.kit.pagination import PageRequest


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """The SQL statements the engine sends while the block runs."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    sa.event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(database.engine.sync_engine, "before_cursor_execute", record)


async def all_ids(database: Database, table: str) -> list[str]:
    async with database.readers() as session:
        result = await session.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))
        return list(result.scalars())


RELATIONS = [
    (entity, relation) for entity in ENTITIES.values() for relation in entity.relations.values()
]


@pytest.mark.parametrize(
    ("parent", "relation"), RELATIONS, ids=[f"{e.name}.{r.name}" for e, r in RELATIONS]
)
async def test_pages_and_counts_per_parent_match_the_table(
    database: Database, parent: Any, relation: Relation
) -> None:
    parents = await all_ids(database, parent.table.name)
    sort = relation.child.sorts[relation.child.default_sort]
    async with database.readers() as session:
        with counting(database) as sent:
            pages = await batch.pages_per_parent(
                session, relation, [*parents, "nobody"], sort, PageRequest(200), {}
            )
            counts = await batch.counts_per_parent(session, relation, [*parents, "nobody"], {})
        assert len(sent) == 2
        fixed = " ".join(f"AND {name} = '{value}'" for name, value in relation.fixed.items())
        truth = await session.execute(
            sa.text(
                f"SELECT {relation.parent_column}, id FROM {relation.child.table.name} "
                f"WHERE {relation.parent_column} IS NOT NULL {fixed}"
            )
        )
    expected: dict[str, set[str]] = {}
    for parent_id, child in truth:
        expected.setdefault(parent_id, set()).add(child)
    assert pages["nobody"].items == [] and counts["nobody"] == 0
    for parent_id in parents:
        assert {row.id for row in pages[parent_id].items} == expected.get(parent_id, set())
        assert counts[parent_id] == len(expected.get(parent_id, ()))


async def test_a_small_page_per_parent_says_more_follow(database: Database) -> None:
    relation = CLAIM.relations["supporters"]
    sort = relation.child.sorts["id"]
    async with database.readers() as session:
        pages = await batch.pages_per_parent(
            session, relation, ["unrest-was-colour-revolution"], sort, PageRequest(2), {}
        )
    first = pages["unrest-was-colour-revolution"]
    assert len(first.items) == 2 and first.next_cursor == first.cursors[-1]
    assert {row.position for row in first.items} == {"supports"}


async def test_rows_by_ids_returns_what_exists(database: Database) -> None:
    found = await batch.rows_by_ids(database, ACTOR, ["vladimir-putin", "xi-jinping", "zorro"])
    assert set(found) == {"vladimir-putin", "xi-jinping"}
    assert found["vladimir-putin"].name == "Vladimir Putin"


async def test_filters_narrow_a_relation(database: Database) -> None:
    relation = EVENT.relations["statements"]
    events = await all_ids(database, "event")
    async with database.readers() as session:
        counts = await batch.counts_per_parent(session, relation, events, {"kind": "quote"})
        everything = await batch.counts_per_parent(session, relation, events, {})
    assert all(counts[event] <= everything[event] for event in events)
    assert sum(counts.values()) < sum(everything.values())
