"""A claim as schema.org JSON-LD: a `Claim` whose `appearance`s are the statements that take a
stance on it.

Each appearance is a schema.org `Role`, schema.org's own way of saying more about a
property's value: its `roleName` is the stance's position (`supports`, `disputes`,
`neutral`), its `description` the curator's note, and its `appearance` the statement as a
`Quotation`: the `text`, the speaker (`spokenByCharacter` and `creator`: a `Person` or an
`Organization`, `sameAs` its Wikidata entity where known), when it was said as precisely as
known (`dateCreated`: `2022`, `2022-01` or `2022-01-10`), the source it `isPartOf`, and, as a
Web Annotation `SpecificResource` of the source's text (`/v1/sources/{id}/text`), a
`TextQuoteSelector` and a `TextPositionSelector` (code-point offsets) that find it there.

The records are read like REST's: one JSON text per claim, written by PostgreSQL from the
models below; only the JSON-LD's shape is made here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from api.dates import display
from api.db.engine import Database
from api.jsonld import CONTEXT
from api.store.claims import CLAIM
from api.store.kit import streams, views
from api.vocabulary import ActorKind, Position, Precision

#: The schema.org type of each kind of speaker (`spokenByCharacter` takes a Person or an
#: Organization: a state speaks through its government, a group as a collective).
SPEAKER_TYPES = {
    ActorKind.PERSON: "Person",
    ActorKind.ORGANIZATION: "Organization",
    ActorKind.STATE: "GovernmentOrganization",
    ActorKind.GROUP: "Organization",
    ActorKind.MEDIA: "NewsMediaOrganization",
}
WIKIDATA = "http://www.wikidata.org/entity/"


class _Actor(BaseModel):
    id: str
    name: str
    kind: ActorKind
    wikidata: str | None


class _Source(BaseModel):
    id: str
    title: str
    publisher: str
    url: str | None
    published_at: str | None
    modified_at: str | None
    language: str


class _Span(BaseModel):
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class _Statement(BaseModel):
    id: str
    text: str
    language: str
    said_on: date | None
    said_on_precision: Precision
    span: _Span
    speaker: _Actor | None
    source: _Source


class _Stance(BaseModel):
    position: Position
    note: str | None
    statement: _Statement


class ClaimRecord(BaseModel):
    """What a claim's JSON-LD is made from."""

    id: str
    text: str
    description: str | None
    tags: list[str]
    stances: list[_Stance]


CLAIM_VIEW = views.View.of(CLAIM, ClaimRecord)


async def document(database: Database, id: str, *, base: str) -> dict[str, Any]:
    """The claim `id` as a JSON-LD document; its IRIs are URLs of this API at `base`
    (`http://host:port`). NotFound if there is none."""
    record = ClaimRecord.model_validate_json(await views.one(database, CLAIM_VIEW, id))
    return {"@context": CONTEXT, **node(record, base=base)}


async def every(database: Database, *, base: str) -> AsyncIterator[list[dict[str, Any]]]:
    """Every claim's node (without `@context`), streamed in batches, in id order."""
    async for batch in streams.items(database, CLAIM_VIEW, filters={}):
        yield [node(ClaimRecord.model_validate_json(item), base=base) for item in batch]


def node(claim: ClaimRecord, *, base: str) -> dict[str, Any]:
    """The claim as a schema.org `Claim` node."""
    return _present(
        {
            "@id": f"{base}/v1/claims/{claim.id}",
            "@type": "Claim",
            "name": claim.text,
            "text": claim.text,
            "description": claim.description,
            "keywords": claim.tags or None,
            "appearance": [
                _present(
                    {
                        "@type": "Role",
                        "roleName": stance.position.value,
                        "description": stance.note,
                        "appearance": _quotation(stance.statement, base),
                    }
                )
                for stance in claim.stances
            ],
        }
    )


def _quotation(statement: _Statement, base: str) -> dict[str, Any]:
    source = statement.source
    speaker = None if statement.speaker is None else _speaker(statement.speaker, base)
    span = statement.span
    return _present(
        {
            "@id": f"{base}/v1/statements/{statement.id}",
            "@type": ["Quotation", "SpecificResource"],
            "text": statement.text,
            "inLanguage": statement.language,
            "dateCreated": display(statement.said_on, statement.said_on_precision),
            "spokenByCharacter": speaker,
            "creator": None if speaker is None else {"@id": speaker["@id"]},
            "isPartOf": _present(
                {
                    "@id": f"{base}/v1/sources/{source.id}",
                    "@type": "CreativeWork",
                    "name": source.title,
                    "url": source.url,
                    "publisher": {"@type": "Organization", "name": source.publisher},
                    "datePublished": source.published_at,
                    "dateModified": source.modified_at,
                    "inLanguage": source.language,
                }
            ),
            "source": f"{base}/v1/sources/{source.id}/text",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": span.exact,
                    "prefix": span.prefix,
                    "suffix": span.suffix,
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        }
    )


def _speaker(actor: _Actor, base: str) -> dict[str, Any]:
    return _present(
        {
            "@id": f"{base}/v1/actors/{actor.id}",
            "@type": SPEAKER_TYPES[actor.kind],
            "name": actor.name,
            "sameAs": None if actor.wikidata is None else WIKIDATA + actor.wikidata,
        }
    )


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Without the properties that have no value (JSON-LD drops nulls anyway)."""
    return {key: value for key, value in values.items() if value is not None}
