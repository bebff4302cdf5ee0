"""Read views: each resource with what a reader needs beside it, in one SQL query.

A view row carries the entity's columns plus the names of what it points at (speaker, source,
event), its span's TextQuoteSelector context (stored by the span trigger), and its small child
lists aggregated as JSON. One round trip serves a resource or a whole page of them, whatever
the page size. Filters are the entity modules' own `conditions`, so views and entity lists agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

import api.db.models  # noqa: F401  (registers the tables)
from api.db.engine import Database
from api.errors import NotFound
from api.store import actors, claims, events, evidence, statements
from api.store.pagination import Page, PageRequest, mapping, paginate, resolve_sort
from api.store.prepared import Prepared, placeholder
from api.vocabulary import EvidenceRelation, Position

_TABLES = SQLModel.metadata.tables
SOURCE = _TABLES["source"]
ACTOR = _TABLES["actor"]
AFFILIATION = _TABLES["affiliation"]
STATEMENT = _TABLES["statement"]
STANCE = _TABLES["stance"]
CLAIM = _TABLES["claim"]
EVENT = _TABLES["event"]
PARTICIPANT = _TABLES["event_participant"]
EVIDENCE = _TABLES["evidence"]

#: A view row: a mapping of column labels to values.
Row = Mapping[str, Any]


def _json_list(select: sa.Select[Any]) -> sa.ScalarSelect[Any]:
    return select.scalar_subquery()


def _empty_json() -> sa.ColumnElement[Any]:
    return sa.cast(sa.literal("[]"), JSON)


def _counts(position: sa.ColumnElement[Any], vocabulary: type[StrEnum], counted: Any = None) -> Any:
    """`{value: count}` for every value of the vocabulary, zeros included; rows are counted
    (`count(*)`) unless `counted` is given, so that an index on (parent, position) answers
    without reading the table."""
    count = sa.func.count if counted is None else lambda: sa.func.count(counted)
    return sa.func.json_build_object(
        *[item for value in vocabulary for item in (value.value, count().filter(position == value))]
    )


def _by_id(view: sa.Select[Any], table: sa.Table) -> Prepared:
    """`view` for one id, compiled once (see api/store/prepared.py)."""
    return Prepared.of(view.where(table.c.id == placeholder(1)), "id")


async def _one(database: Database, query: Prepared, entity: str, id: str) -> Row:
    row = await query.fetchrow(database, id=id)
    if row is None:
        raise NotFound(entity, id)
    return row


async def require(session: AsyncSession, table: sa.Table, entity: str, id: str) -> None:
    """NotFound unless `id` exists: a sub-collection of a missing parent is a 404, not []."""
    if not await session.scalar(sa.select(sa.exists().where(table.c.id == id))):
        raise NotFound(entity, id)


# -- sources ----------------------------------------------------------------------------------


def _source_view() -> sa.Select[Any]:
    return sa.select(
        *(column for column in SOURCE.c if column.name != "text"),
        sa.func.char_length(SOURCE.c.text).label("text_length"),
    )


_SOURCE_BY_ID = _by_id(_source_view(), SOURCE)


async def source_view(database: Database, id: str) -> Row:
    return await _one(database, _SOURCE_BY_ID, "source", id)


async def source_views(session: AsyncSession, page: PageRequest) -> Page[Row]:
    from api.store.sources import SORTS

    return await paginate(session, _source_view(), SORTS["id"], page, shape=mapping)


async def source_text(session: AsyncSession, id: str) -> str:
    text = await session.scalar(sa.select(SOURCE.c.text).where(SOURCE.c.id == id))
    if text is None:
        raise NotFound("source", id)
    return str(text)


# -- actors -----------------------------------------------------------------------------------


def _actor_view() -> sa.Select[Any]:
    organization = ACTOR.alias("organization")
    affiliation_source = SOURCE.alias("affiliation_source")
    affiliations = (
        sa.select(
            sa.func.coalesce(
                sa.func.json_agg(
                    aggregate_order_by(
                        sa.func.json_build_object(
                            "id",
                            AFFILIATION.c.id,
                            "organization",
                            sa.func.json_build_object(
                                "id", organization.c.id, "name", organization.c.name
                            ),
                            "role",
                            AFFILIATION.c.role,
                            "start_date",
                            AFFILIATION.c.start_date,
                            "end_date",
                            AFFILIATION.c.end_date,
                            "source_id",
                            AFFILIATION.c.source_id,
                            "source_title",
                            affiliation_source.c.title,
                            "span_start",
                            AFFILIATION.c.span_start,
                            "span_end",
                            AFFILIATION.c.span_end,
                            "span_exact",
                            AFFILIATION.c.quote,
                            "span_prefix",
                            AFFILIATION.c.span_prefix,
                            "span_suffix",
                            AFFILIATION.c.span_suffix,
                        ),
                        AFFILIATION.c.organization_id,
                        AFFILIATION.c.id,
                    )
                ),
                _empty_json(),
            )
        )
        .select_from(
            AFFILIATION.join(
                organization, organization.c.id == AFFILIATION.c.organization_id
            ).outerjoin(affiliation_source, affiliation_source.c.id == AFFILIATION.c.source_id)
        )
        .where(AFFILIATION.c.actor_id == ACTOR.c.id)
        .scalar_subquery()
    )
    said = STATEMENT.alias("said")
    counts = (
        sa.select(_counts(STANCE.c.position, Position, sa.distinct(said.c.id)))
        .select_from(said.join(STANCE, STANCE.c.statement_id == said.c.id))
        .where(said.c.speaker_id == ACTOR.c.id)
        .scalar_subquery()
    )
    return sa.select(
        *ACTOR.c,
        sa.type_coerce(affiliations, JSON).label("affiliations"),
        sa.type_coerce(counts, JSON).label("statement_counts"),
    )


_ACTOR_BY_ID = _by_id(_actor_view(), ACTOR)


async def actor_view(database: Database, id: str) -> Row:
    return await _one(database, _ACTOR_BY_ID, "actor", id)


async def actor_views(
    session: AsyncSession, filters: actors.ActorFilters, page: PageRequest, sort: str | None
) -> Page[Row]:
    query = _actor_view().where(*actors.conditions(filters))
    return await paginate(
        session, query, resolve_sort(actors.SORTS, sort, "id"), page, shape=mapping
    )


# -- statements -------------------------------------------------------------------------------


def _statement_view() -> sa.Select[Any]:
    speaker = ACTOR.alias("speaker")
    event = EVENT.alias("statement_event")
    stances = (
        sa.select(
            sa.func.coalesce(
                sa.func.json_agg(
                    aggregate_order_by(
                        sa.func.json_build_object(
                            "claim",
                            sa.func.json_build_object("id", CLAIM.c.id, "text", CLAIM.c.text),
                            "position",
                            STANCE.c.position,
                            "hedged",
                            STANCE.c.hedged,
                            "note",
                            STANCE.c.note,
                        ),
                        STANCE.c.claim_id,
                    )
                ),
                _empty_json(),
            )
        )
        .select_from(STANCE.join(CLAIM, CLAIM.c.id == STANCE.c.claim_id))
        .where(STANCE.c.statement_id == STATEMENT.c.id)
        .scalar_subquery()
    )
    return sa.select(
        *STATEMENT.c,
        SOURCE.c.title.label("source_title"),
        speaker.c.name.label("speaker_name"),
        event.c.title.label("event_title"),
        sa.type_coerce(stances, JSON).label("stances"),
    ).select_from(
        STATEMENT.join(SOURCE, SOURCE.c.id == STATEMENT.c.source_id)
        .outerjoin(speaker, speaker.c.id == STATEMENT.c.speaker_id)
        .outerjoin(event, event.c.id == STATEMENT.c.event_id)
    )


_STATEMENT_VIEW = _statement_view()
_STATEMENT_BY_ID = _by_id(_STATEMENT_VIEW, STATEMENT)


async def statement_view(database: Database, id: str) -> Row:
    return await _one(database, _STATEMENT_BY_ID, "statement", id)


async def statement_views(
    session: AsyncSession,
    filters: statements.StatementFilters,
    page: PageRequest,
    sort: str | None,
) -> Page[Row]:
    query = _STATEMENT_VIEW.where(*statements.conditions(filters))
    sort_by = resolve_sort(statements.SORTS, sort, "position")
    return await paginate(session, query, sort_by, page, shape=mapping)


# -- claims and stances -----------------------------------------------------------------------


def _claim_view() -> sa.Select[Any]:
    stance_counts = (
        sa.select(_counts(STANCE.c.position, Position))
        .where(STANCE.c.claim_id == CLAIM.c.id)
        .scalar_subquery()
    )
    evidence_counts = (
        sa.select(_counts(EVIDENCE.c.relation, EvidenceRelation))
        .where(EVIDENCE.c.claim_id == CLAIM.c.id)
        .scalar_subquery()
    )
    return sa.select(
        *CLAIM.c,
        sa.type_coerce(stance_counts, JSON).label("statement_counts"),
        sa.type_coerce(evidence_counts, JSON).label("evidence_counts"),
    )


_CLAIM_BY_ID = _by_id(_claim_view(), CLAIM)


async def claim_view(database: Database, id: str) -> Row:
    return await _one(database, _CLAIM_BY_ID, "claim", id)


async def claim_views(
    session: AsyncSession, filters: claims.ClaimFilters, page: PageRequest
) -> Page[Row]:
    query = _claim_view().where(*claims.claim_conditions(filters))
    return await paginate(session, query, claims.SORTS["id"], page, shape=mapping)


def _stance_view() -> sa.Select[Any]:
    speaker = ACTOR.alias("speaker")
    return sa.select(
        *STANCE.c,
        CLAIM.c.text.label("claim_text"),
        STATEMENT.c.kind.label("statement_kind"),
        STATEMENT.c.text.label("statement_text"),
        STATEMENT.c.said_on.label("statement_said_on"),
        STATEMENT.c.said_on_precision.label("statement_said_on_precision"),
        STATEMENT.c.source_id.label("statement_source_id"),
        STATEMENT.c.speaker_id.label("statement_speaker_id"),
        speaker.c.name.label("statement_speaker_name"),
    ).select_from(
        STANCE.join(CLAIM, CLAIM.c.id == STANCE.c.claim_id)
        .join(STATEMENT, STATEMENT.c.id == STANCE.c.statement_id)
        .outerjoin(speaker, speaker.c.id == STATEMENT.c.speaker_id)
    )


async def stance_views(
    session: AsyncSession, filters: claims.StanceFilters, page: PageRequest
) -> Page[Row]:
    query = _stance_view().where(*claims.stance_conditions(filters))
    return await paginate(session, query, claims.STANCE_SORTS["id"], page, shape=mapping)


# -- events -----------------------------------------------------------------------------------


def _event_view() -> sa.Select[Any]:
    parent = EVENT.alias("parent")
    return sa.select(
        *EVENT.c,
        parent.c.title.label("parent_title"),
        SOURCE.c.title.label("source_title"),
    ).select_from(
        EVENT.outerjoin(parent, parent.c.id == EVENT.c.parent_id).outerjoin(
            SOURCE, SOURCE.c.id == EVENT.c.source_id
        )
    )


_EVENT_BY_ID = _by_id(_event_view(), EVENT)


async def event_view(database: Database, id: str) -> Row:
    return await _one(database, _EVENT_BY_ID, "event", id)


async def event_views(
    session: AsyncSession, filters: events.EventFilters, page: PageRequest, sort: str | None
) -> Page[Row]:
    query = _event_view().where(*events.conditions(filters))
    sort_by = resolve_sort(events.SORTS, sort, "start")
    return await paginate(session, query, sort_by, page, shape=mapping)


async def participant_views(session: AsyncSession, event_id: str, page: PageRequest) -> Page[Row]:
    query = (
        sa.select(
            *PARTICIPANT.c,
            ACTOR.c.name.label("actor_name"),
            ACTOR.c.kind.label("actor_kind"),
        )
        .select_from(PARTICIPANT.join(ACTOR, ACTOR.c.id == PARTICIPANT.c.actor_id))
        .where(PARTICIPANT.c.event_id == event_id)
    )
    return await paginate(session, query, events.PARTICIPANT_SORTS["id"], page, shape=mapping)


# -- evidence ---------------------------------------------------------------------------------


def _evidence_view() -> sa.Select[Any]:
    offered_by = ACTOR.alias("offered_by")
    speaker = ACTOR.alias("speaker")
    event = EVENT.alias("evidence_event")
    return sa.select(
        *EVIDENCE.c,
        CLAIM.c.text.label("claim_text"),
        SOURCE.c.title.label("source_title"),
        STATEMENT.c.speaker_id.label("statement_speaker_id"),
        speaker.c.name.label("statement_speaker_name"),
        event.c.title.label("event_title"),
        offered_by.c.name.label("offered_by_name"),
    ).select_from(
        EVIDENCE.join(CLAIM, CLAIM.c.id == EVIDENCE.c.claim_id)
        .join(SOURCE, SOURCE.c.id == EVIDENCE.c.source_id)
        .outerjoin(STATEMENT, STATEMENT.c.id == EVIDENCE.c.statement_id)
        .outerjoin(speaker, speaker.c.id == STATEMENT.c.speaker_id)
        .outerjoin(event, event.c.id == EVIDENCE.c.event_id)
        .outerjoin(offered_by, offered_by.c.id == EVIDENCE.c.offered_by_id)
    )


_EVIDENCE_BY_ID = _by_id(_evidence_view(), EVIDENCE)


async def evidence_view(database: Database, id: str) -> Row:
    return await _one(database, _EVIDENCE_BY_ID, "evidence", id)


async def evidence_views(
    session: AsyncSession, filters: evidence.EvidenceFilters, page: PageRequest, sort: str | None
) -> Page[Row]:
    query = _evidence_view().where(*evidence.conditions(filters))
    sort_by = resolve_sort(evidence.SORTS, sort, "position")
    return await paginate(session, query, sort_by, page, shape=mapping)
