"""A source back out as a fixture folder: what `claimgraph load` and `POST /v1/imports` take.

The export holds the source's own rows (its statements with their stances, its evidence,
the affiliations and events whose spans point into it), everything those refer to (speakers,
claims, events and their parents and participants), and the actors, claims and events that
nothing refers to at all (an extraction lists those too, and no other source owns them). A
quote is written as its text, with `occurrence` where the text repeats; a date as a partial
date as precise as stored; values equal to the fixture defaults are left out. Imported into
an empty database, the export gives back the same rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from api import dates
from api.db.models import TABLES
from api.errors import NotFound
from api.store import spans
from api.store.loader import ARTICLE_FILE, EXTRACTION_FILE, SOURCE_FILE
from api.vocabulary import Attribution

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Export:
    """A fixture folder's three files: source.yaml and extraction.yaml as data, the text."""

    source: dict[str, Any]
    extraction: dict[str, Any]
    article: str

    def files(self) -> dict[str, Any]:
        return {
            SOURCE_FILE: self.source,
            EXTRACTION_FILE: self.extraction,
            ARTICLE_FILE: self.article,
        }


def _timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _quoted(text: str, quote: str | None, start: int | None) -> dict[str, Any]:
    """`quote` (and `occurrence` where it repeats) of a span into `text`."""
    if quote is None or start is None:
        return {}
    starts = spans.occurrences(text, quote)
    if len(starts) > 1:
        return {"quote": quote, "occurrence": starts.index(start) + 1}
    return {"quote": quote}


def _plain(value: Any) -> Any:
    """Vocabulary members as their plain values, as YAML writes them."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _given(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its empty values (the fixture defaults)."""
    return {key: _plain(value) for key, value in entry.items() if value not in (None, [], {})}


async def _rows(session: AsyncSession, table: str, where: Any = None) -> list[Row]:
    rows = TABLES[table]
    select = sa.select(rows).order_by(rows.c.id)
    if where is not None:
        select = select.where(where(rows))
    return [dict(row._mapping) for row in await session.execute(select)]


def _by_id(rows: Iterable[Row]) -> dict[str, Row]:
    return {row["id"]: row for row in rows}


async def export(session: AsyncSession, source_id: str) -> Export:
    """The source as a fixture folder; NotFound if there is no such source."""
    found = await _rows(session, "source", lambda t: t.c.id == source_id)
    if not found:
        raise NotFound("source", source_id)
    source = found[0]
    text: str = source["text"]
    actors = _by_id(await _rows(session, "actor"))
    claims = _by_id(await _rows(session, "claim"))
    events = _by_id(await _rows(session, "event"))
    statements = await _rows(session, "statement")
    evidence = await _rows(session, "evidence")
    stances = await _rows(session, "stance")
    participants = await _rows(session, "event_participant")
    affiliations = await _rows(session, "affiliation")

    own_statements = [row for row in statements if row["source_id"] == source_id]
    own_ids = {row["id"] for row in own_statements}
    own_evidence = [row for row in evidence if row["source_id"] == source_id]
    own_stances = [row for row in stances if row["statement_id"] in own_ids]

    # What some row of any source refers to; the rest is nobody's, and goes in every export.
    used_actors = {row["speaker_id"] for row in statements} | {
        row["offered_by_id"] for row in evidence
    }
    used_actors |= {row["actor_id"] for row in participants}
    used_actors |= {row["actor_id"] for row in affiliations}
    used_actors |= {row["organization_id"] for row in affiliations}
    used_claims = {row["claim_id"] for row in stances} | {row["claim_id"] for row in evidence}
    used_events = {row["event_id"] for row in statements} | {row["event_id"] for row in evidence}
    used_events |= {row["parent_id"] for row in events.values()}

    event_ids = {id for id, row in events.items() if row["source_id"] == source_id}
    event_ids |= {row["event_id"] for row in [*own_statements, *own_evidence]}
    event_ids |= {
        id for id, row in events.items() if row["source_id"] is None and id not in used_events
    }
    event_ids.discard(None)
    for id in list(event_ids):  # and their parents
        parent = events[id]["parent_id"]
        while parent is not None and parent not in event_ids:
            event_ids.add(parent)
            parent = events[parent]["parent_id"]
    own_participants = [row for row in participants if row["event_id"] in event_ids]

    claim_ids = {row["claim_id"] for row in [*own_stances, *own_evidence]}
    claim_ids |= set(claims) - used_claims
    actor_ids = {row["speaker_id"] for row in own_statements}
    actor_ids |= {row["offered_by_id"] for row in own_evidence}
    actor_ids |= {row["actor_id"] for row in own_participants}
    actor_ids |= set(actors) - used_actors
    own_affiliations = [
        row
        for row in affiliations
        if row["source_id"] == source_id
        or (row["source_id"] is None and row["actor_id"] in actor_ids)
    ]
    for row in own_affiliations:
        actor_ids |= {row["actor_id"], row["organization_id"]}
    actor_ids.discard(None)

    stances_of: dict[str, list[Row]] = {}
    for row in own_stances:
        stances_of.setdefault(row["statement_id"], []).append(row)
    participants_of: dict[str, list[Row]] = {}
    for row in own_participants:
        participants_of.setdefault(row["event_id"], []).append(row)

    def in_text(row: Row, column: str) -> dict[str, Any]:
        if row["source_id"] != source_id:
            return {}
        return _quoted(text, row[column], row["span_start"])

    extraction = {
        "actors": [_actor(actors[id]) for id in sorted(actor_ids)],
        "affiliations": [
            _given(
                {
                    "actor": row["actor_id"],
                    "organization": row["organization_id"],
                    "role": row["role"],
                    "start": row["start_date"] and row["start_date"].isoformat(),
                    "end": row["end_date"] and row["end_date"].isoformat(),
                    **in_text(row, "quote"),
                }
            )
            for row in own_affiliations
        ],
        "claims": [
            _given({key: claims[id][key] for key in ("id", "text", "description", "tags")})
            for id in sorted(claim_ids)
        ],
        "events": [
            _event(events[id], participants_of.get(id, []), in_text(events[id], "quote"))
            for id in sorted(event_ids)
        ],
        "statements": [
            _statement(row, stances_of.get(row["id"], []), in_text(row, "text"))
            for row in sorted(own_statements, key=lambda row: (row["span_start"], row["id"]))
        ],
        "evidence": [
            _given(
                {
                    "id": row["id"],
                    "claim": row["claim_id"],
                    "relation": row["relation"],
                    "summary": row["summary"],
                    **in_text(row, "quote"),
                    "statement": row["statement_id"],
                    "event": row["event_id"],
                    "offered_by": row["offered_by_id"],
                }
            )
            for row in sorted(own_evidence, key=lambda row: (row["span_start"], row["id"]))
        ],
    }
    described = _given(
        {
            "id": source["id"],
            "title": source["title"],
            "publisher": source["publisher"],
            "url": source["url"],
            "published_at": _timestamp(source["published_at"]),
            "modified_at": _timestamp(source["modified_at"]),
            "retrieved_at": _timestamp(source["retrieved_at"]),
            "language": source["language"],
        }
    )
    return Export(described, extraction, text)


def _actor(row: Row) -> dict[str, Any]:
    return _given(
        {
            key: row[key]
            for key in (
                "id",
                "name",
                "kind",
                "aliases",
                "description",
                "country",
                "wikidata",
                "identifiers",
            )
        }
    )


def _event(row: Row, participants: list[Row], quoted: dict[str, Any]) -> dict[str, Any]:
    place = None
    if row["place_name"] is not None:
        place = _given(
            {
                "name": row["place_name"],
                "country": row["place_country"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
            }
        )
    return _given(
        {
            "id": row["id"],
            "title": row["title"],
            "kind": row["kind"],
            "start": dates.display(row["start_date"], row["start_precision"]),
            "end": dates.display(row["end_date"], row["end_precision"]),
            "place": place,
            "parent": row["parent_id"],
            "description": row["description"],
            "participants": [
                {"actor": item["actor_id"], "role": item["role"]} for item in participants
            ],
            **quoted,
        }
    )


def _statement(row: Row, stances: list[Row], quoted: dict[str, Any]) -> dict[str, Any]:
    entry = _given(
        {
            "id": row["id"],
            "attribution": row["attribution"]
            if row["attribution"] == Attribution.IMPLIED
            else None,
            "kind": row["kind"],
            **quoted,
            "said_on": dates.display(row["said_on"], row["said_on_precision"]),
            "event": row["event_id"],
            "language": row["language"] if row["language"] != "en" else None,
            "note": row["note"],
            "stances": [
                _given(
                    {
                        "claim": item["claim_id"],
                        "position": item["position"],
                        "hedged": item["hedged"] or None,
                        "note": item["note"],
                    }
                )
                for item in stances
            ],
        }
    )
    return {"id": entry.pop("id"), "speaker": row["speaker_id"], **entry}
