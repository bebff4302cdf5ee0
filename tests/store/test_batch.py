"""Batch loaders answer for many parents with one query, and agree with one-by-one lookups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from api.db.engine import Database
from api.db.models import Actor, Claim, Event
from api.errors import NotFound
from api.store import actors, batch, claims, events, evidence, statements
from api.vocabulary import Position


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


async def all_ids(database: Database, model: Any) -> list[str]:
    async with database.sessions() as session:
        return list((await session.execute(sa.select(model.id).order_by(model.id))).scalars())


async def test_statements_by_speaker_ids_in_one_query(database: Database) -> None:
    speakers = await all_ids(database, Actor)
    async with database.sessions() as session:
        with counting(database) as sent:
            grouped = await statements.statements_by_speaker_ids(session, [*speakers, "nobody"])
        assert len(sent) == 1
        for speaker in speakers:
            one_by_one = await statements.list_statements(
                session,
                statements.StatementFilters(speaker=speaker),
                statements.PageRequest(limit=200),
            )
            assert [s.id for s in grouped.get(speaker, [])] == [s.id for s in one_by_one.items]
    assert "nobody" not in grouped
    assert [s.id for s in grouped["kassym-jomart-tokayev"]] == [
        "tokayev-guise-of-spontaneous-protests",
        "tokayev-attempted-coup",
        "tokayev-armed-militants",
    ]


@pytest.mark.parametrize(
    ("loader", "model", "parent_column", "child_sql"),
    [
        (claims.stances_by_claim_ids, Claim, "claim_id", "stance"),
        (evidence.evidence_by_claim_ids, Claim, "claim_id", "evidence"),
        (actors.affiliations_by_actor_ids, Actor, "actor_id", "affiliation"),
        (events.participants_by_event_ids, Event, "event_id", "event_participant"),
        (events.children_by_event_ids, Event, "parent_id", "event"),
        (statements.statements_by_event_ids, Event, "event_id", "statement"),
    ],
)
async def test_grouped_loaders_match_the_table(
    database: Database, loader: Any, model: Any, parent_column: str, child_sql: str
) -> None:
    parents = await all_ids(database, model)
    async with database.sessions() as session:
        with counting(database) as sent:
            grouped = await loader(session, parents)
        assert len(sent) == 1
        truth = await session.execute(
            sa.text(
                f"SELECT {parent_column}, id FROM {child_sql} WHERE {parent_column} IS NOT NULL"
            )
        )
    expected: dict[str, set[str]] = {}
    for parent, child in truth:
        expected.setdefault(parent, set()).add(child)
    assert {parent: {row.id for row in rows} for parent, rows in grouped.items()} == expected


async def test_by_ids_returns_what_exists(database: Database) -> None:
    async with database.sessions() as session:
        with counting(database) as sent:
            found = await actors.actors_by_ids(session, ["vladimir-putin", "xi-jinping", "zorro"])
        assert len(sent) == 1
    assert set(found) == {"vladimir-putin", "xi-jinping"}
    assert found["vladimir-putin"].name == "Vladimir Putin"


async def test_get_one_raises_not_found(database: Database) -> None:
    async with database.sessions() as session:
        with pytest.raises(NotFound, match="no claim with id 'flat-earth'"):
            await batch.get_one(session, Claim, "claim", "flat-earth")


async def test_counts_by_position(database: Database) -> None:
    async with database.sessions() as session:
        by_claim = await claims.stance_counts_by_claim_ids(session, ["us-involved-in-protests"])
        by_actor = await actors.statement_counts_by_actor_ids(
            session, ["melinda-haring", "globalsecurity-org"]
        )
    assert by_claim["us-involved-in-protests"][Position.DISPUTES] == 1
    assert by_claim["us-involved-in-protests"][Position.SUPPORTS] == 0
    assert by_actor["melinda-haring"] == {
        Position.SUPPORTS: 0,
        Position.DISPUTES: 1,
        Position.NEUTRAL: 0,
    }
    assert by_actor["globalsecurity-org"][Position.DISPUTES] == 1


async def test_sessions_never_lazy_load_or_expire(database: Database) -> None:
    async with database.sessions() as session:
        async with session.begin():
            actor = await actors.get_actor(session, "cis")
        # Committed: attributes stay readable without another query.
        with counting(database) as sent:
            assert actor.name == "Commonwealth of Independent States"
        assert sent == []
