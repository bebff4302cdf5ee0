"""A claim's dossier: one JSON document that PostgreSQL builds (migration 0013).

Each side by speaker, the evidence, the dates and the contradictions. REST serves the whole
document; GraphQL reads it as typed objects (on the compiled path, selecting only the keys
asked for). It lists a bounded part of a large claim and counts all of it, so that it costs
what it shows: the rest is a filtered statement list away.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.engine import Database
from api.errors import NotFound
from api.store.actors import ActorRef
from api.store.evidence import EVIDENCE
from api.store.kit.representations import PASSAGE, Offsets, Representation, Span
from api.store.stances import STANCE
from api.store.statements import STATEMENT
from api.vocabulary import Attribution, Precision, StatementKind

#: How much a dossier lists (all is counted): speakers per side (and speakers on both
#: sides), statements per speaker and side, contradicting pairs, and statement ids per side
#: of a speaker on both sides.
SPEAKERS = 20
STATEMENTS = 10
PAIRS = 50
IDS = 10
LIMITS = (SPEAKERS, STATEMENTS, PAIRS, IDS)


def dossier(row: FromClause) -> ColumnElement[Any]:
    """The dossier of the claim `row`, or NULL where there is no such claim."""
    return sa.func.claimgraph_dossier(row.c.id, *LIMITS, type_=JSON)


#: The dossier of the claim `$1` as JSON text, given the LIMITS as `$2`... (REST's read).
BY_ID = "SELECT claimgraph_dossier($1, $2, $3, $4, $5)::text"


# -- the document's shape (REST serves it as is; GraphQL reads it as typed objects) ------------

_FIRST_SPEAKERS = (
    f"the first {SPEAKERS} speakers, in the order they first said it (statements attributed "
    "to no one count as one speaker, with a null `speaker`)."
)


class DossierStatement(Representation):
    """One of a speaker's statements on the claim."""

    id: str = Field(description=STATEMENT.describe("id"))
    text: str = Field(description="What was said.")
    kind: StatementKind = Field(description=STATEMENT.describe("kind"))
    date: str | None = Field(
        description="When: `2022`, `2022-01` or `2022-01-10`; null if unknown."
    )
    precision: Precision = Field(description=dates.PRECISION)
    hedged: bool = Field(description=STANCE.describe("hedged"))
    attribution: Attribution | None = Field(description=STATEMENT.describe("attribution"))


class DossierSpeaker(Representation):
    """A speaker on one side of the claim, with their statements in date order."""

    speaker: ActorRef | None = Field(description="Null for statements attributed to no one.")
    statement_count: int = Field(
        description=f"How many statements (at most {STATEMENTS} are listed)."
    )
    statements: list[DossierStatement] = Field(description="Their statements, in date order.")


class DossierEvidence(Representation):
    """A piece of evidence on the claim."""

    id: str = Field(description=EVIDENCE.describe("id"))
    summary: str = Field(description=EVIDENCE.describe("summary"))
    offered_by: ActorRef | None = Field(description=EVIDENCE.describe("offered_by"))
    span: Span = Field(description=EVIDENCE.describe("span"))


class StatementBrief(Representation):
    """A statement, by id and speaker."""

    id: str = Field(description=STATEMENT.describe("id"))
    speaker: ActorRef | None = Field(description=STATEMENT.describe("speaker"))


class ContradictionPair(Representation):
    """Two statements on opposite sides of the claim."""

    supporting: StatementBrief = Field(description="The statement supporting the claim.")
    disputing: StatementBrief = Field(description="The statement disputing it.")


class TornSpeaker(Representation):
    """A speaker whose own statements take both sides."""

    speaker: ActorRef = Field(description="The speaker.")
    supporting_count: int = Field(description="How many of their statements support the claim.")
    disputing_count: int = Field(description="How many of their statements dispute it.")
    supporting: list[str] = Field(
        description=f"Ids of the first {IDS} (by date) of their supporting statements."
    )
    disputing: list[str] = Field(
        description=f"Ids of the first {IDS} (by date) of their disputing statements."
    )


class Contradictions(Representation):
    """Where the record disagrees with itself on the claim."""

    pair_count: int = Field(description="Every pair of a supporting and a disputing statement.")
    pairs: list[ContradictionPair] = Field(description=f"The first {PAIRS} pairs, by date.")
    speaker_count: int = Field(description="Every speaker whose statements take both sides.")
    speakers: list[TornSpeaker] = Field(
        description=f"The first {SPEAKERS} speakers on both sides, by id."
    )


class ClaimBrief(Representation):
    """The claim itself."""

    id: str
    text: str
    description: str | None
    tags: list[str]


class Dossier(Representation):
    """Everything on one claim: each side by speaker, the evidence, the dates, the
    contradictions."""

    claim: ClaimBrief = Field(description="The claim itself.")
    first_said: str | None = Field(
        description="The earliest date it was said, as precise as known."
    )
    last_said: str | None = Field(description="The latest date it may have been said.")
    supporter_count: int = Field(description="How many speakers support it.")
    disputer_count: int = Field(description="How many speakers dispute it.")
    neutral_count: int = Field(description="How many speakers speak to it without a side.")
    supporters: list[DossierSpeaker] = Field(description=f"Who supports it: {_FIRST_SPEAKERS}")
    disputers: list[DossierSpeaker] = Field(description=f"Who disputes it: {_FIRST_SPEAKERS}")
    neutral: list[DossierSpeaker] = Field(
        description=f"Who speaks to it without a side: {_FIRST_SPEAKERS}"
    )
    evidence_for: list[DossierEvidence] = Field(description="Evidence supporting it.")
    evidence_against: list[DossierEvidence] = Field(description="Evidence against it.")
    context: list[DossierEvidence] = Field(description="Evidence that bears on it either way.")
    contradictions: Contradictions = Field(description="Where the record disagrees with itself.")


# -- the dossier as a table (CSV, NDJSON) -----------------------------------------------------


class DossierRow(Representation):
    """One line of a claim's dossier as a table: a statement it lists on a side, or a piece
    of evidence."""

    row: Literal["statement", "evidence"] = Field(description="What the line is.")
    side: str = Field(
        description="A statement's position (`supports`, `disputes`, `neutral`) or the "
        "evidence's relation (`supports`, `refutes`, `context`)."
    )
    id: str = Field(description="The statement's or the evidence's id (its slug).")
    speaker: ActorRef | None = Field(
        description="Who said the statement, or who offers the evidence; null if no one."
    )
    date: str | None = Field(
        description="When a statement was said: `2022`, `2022-01` or `2022-01-10`."
    )
    precision: Precision | None = Field(description="How much of a statement's `date` is known.")
    hedged: bool | None = Field(description=STANCE.describe("hedged"))
    attribution: Attribution | None = Field(description=STATEMENT.describe("attribution"))
    summary: str | None = Field(description=EVIDENCE.describe("summary"))
    quote: str = Field(description="The passage, exactly as in the source.")
    source: str = Field(description="The id of the source it is found in.")
    span: Offsets = Field(description=PASSAGE)


_SIDES = {"supporters": "supports", "disputers": "disputes", "neutral": "neutral"}
_RELATIONS = {"evidence_for": "supports", "evidence_against": "refutes", "context": "context"}
#: The quote, source and offsets of the rows a dossier lists, by table (`$1`: their ids).
PLACES = {
    "statement": "SELECT id, text AS quote, source_id, span_start, span_end FROM statement "
    "WHERE id = ANY($1::text[])",
    "evidence": "SELECT id, quote, source_id, span_start, span_end FROM evidence "
    "WHERE id = ANY($1::text[])",
}


def table(
    document: dict[str, Any], places: dict[tuple[str, str], dict[str, Any]]
) -> list[DossierRow]:
    """The dossier `document` (its JSON) as rows: the statements it lists, side by side in
    its order, then its evidence; `places` holds each row's quote, source and offsets, by
    table and id."""
    rows: list[DossierRow] = []
    for key, side in _SIDES.items():
        for group in document[key]:
            for item in group["statements"]:
                place = places["statement", item["id"]]
                rows.append(
                    DossierRow(
                        row="statement",
                        side=side,
                        id=item["id"],
                        speaker=group["speaker"],
                        date=item["date"],
                        precision=item["precision"],
                        hedged=item["hedged"],
                        attribution=item["attribution"],
                        summary=None,
                        quote=place["quote"],
                        source=place["source_id"],
                        span=Offsets(start=place["span_start"], end=place["span_end"]),
                    )
                )
    for key, relation in _RELATIONS.items():
        for item in document[key]:
            place = places["evidence", item["id"]]
            rows.append(
                DossierRow(
                    row="evidence",
                    side=relation,
                    id=item["id"],
                    speaker=item["offered_by"],
                    date=None,
                    precision=None,
                    hedged=None,
                    attribution=None,
                    summary=item["summary"],
                    quote=place["quote"],
                    source=place["source_id"],
                    span=Offsets(start=place["span_start"], end=place["span_end"]),
                )
            )
    return rows


def listed(document: dict[str, Any]) -> dict[str, list[str]]:
    """The ids of the statements and the evidence the dossier lists, by table."""
    statements = [
        item["id"] for key in _SIDES for group in document[key] for item in group["statements"]
    ]
    evidence = [item["id"] for key in _RELATIONS for item in document[key]]
    return {"statement": statements, "evidence": evidence}


async def rows(database: Database, id: str) -> list[DossierRow]:
    """The claim's dossier as rows; NotFound if there is no such claim."""
    pool = await database.driver_pool()
    body = await pool.fetchval(BY_ID, id, *LIMITS)
    if body is None:
        raise NotFound("claim", id)
    document = json.loads(body)
    places: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, ids in listed(document).items():
        for found in await pool.fetch(PLACES[kind], ids):
            places[kind, found["id"]] = dict(found)
    return table(document, places)
