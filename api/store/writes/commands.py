"""The write commands, one set for REST and GraphQL: create, update (a merge patch) and delete
any kind of record, in a transaction from api/store/writes/transaction.py.

Every command validates its document like a fixture entry: references must exist, a quote
must be its span of the source text (found as the loader finds it, or checked where offsets
are given), derived ids and ids never change. Deleting what is still referred to is refused
with the list of referrers. A source's new text re-anchors every quote in it, or is refused
whole. Each row written is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from api.db.models import TABLES
from api.errors import FieldError, InvalidBody, NotFound, SpanMismatch
from api.store import spans
from api.store.fixtures.loader import participant_id
from api.store.inputs import KINDS, Document, Kind
from api.store.kit.batch import Record
from api.store.writes import reanchor
from api.store.writes.patch import merge_patch
from api.store.writes.transaction import Row, Tx

#: Checks the stored row before it changes (If-Match, expectedVersion); raises to refuse.
Precondition = Callable[[Tx, Record], Awaitable[None]]
MAX_ID = 120


@dataclass
class Written:
    """What a command wrote (read it back with `stored`), and the spans a new text moved."""

    entity: str
    id: str
    moved: list[reanchor.Anchor] = field(default_factory=list)

    async def stored(self, tx: Tx) -> Record:
        """The record as this transaction sees it now, its columns typed."""
        row = await tx.row(self.entity, self.id)
        assert row is not None
        return row


def invalid(error: ValidationError, prefix: str = "") -> InvalidBody:
    """A pydantic refusal as field errors (`said_on`, `span.start`; `body` for the whole)."""
    found = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        found.append(FieldError(f"{prefix}{path}", message))
    return InvalidBody(found)


def validate(kind: Kind, data: Any) -> Document:
    if not isinstance(data, dict):
        raise InvalidBody([FieldError("body", "must be a JSON object")])
    try:
        return kind.model.model_validate(data)
    except ValidationError as error:
        raise invalid(error) from error


async def _check_references(tx: Tx, kind: Kind, document: Document) -> None:
    """Every record the document names must exist (checked in one query)."""
    named: dict[str, tuple[str, str]] = {}
    for name, target in kind.references.items():
        value = document.value(name)
        if value is not None:
            named[name] = (target, value)
    for index, participant in enumerate(document.value("participants") or ()):
        named[f"participants.{index}.actor"] = ("actor", participant.actor)
    missing = await tx.missing(named)
    if missing:
        raise InvalidBody(
            [
                FieldError(name, f"no {named[name][0]} with id {named[name][1]!r}")
                for name in missing
            ]
        )


async def _span(tx: Tx, kind: Kind, document: Document, row: Row) -> None:
    """Set the row's span from its quote: found as the loader finds it, or checked."""
    if kind.quote is None:
        return
    quote = getattr(document, kind.quote)
    if quote is None:
        row.update(span_start=None, span_end=None)
        return
    text = await tx.source_text(document.value("source"))
    given = document.value("span")
    try:
        if given is not None:
            spans.verify(text, quote, given.start, given.end)
            found = spans.Span(given.start, given.end)
        else:
            found = spans.locate(text, quote, document.value("occurrence"))
    except SpanMismatch as mismatch:
        raise SpanMismatch(mismatch.message, quote, kind.quote) from mismatch
    row.update(span_start=found.start, span_end=found.end)


def _check_id(id: str) -> None:
    if len(id) > MAX_ID:
        raise InvalidBody([FieldError("id", f"the id {id!r} is longer than {MAX_ID} characters")])


async def _participants(tx: Tx, event: str) -> list[Record]:
    table = TABLES["event_participant"]
    rows = await tx.session.execute(
        sa.select(table).where(table.c.event_id == event).order_by(table.c.id)
    )
    return [Record(row._mapping) for row in rows]


async def _write_participants(tx: Tx, event: str, document: Document) -> None:
    """Make the event's participants the document's list: add the new, delete the gone."""
    wanted = {
        participant_id(event, item.actor, item.role): item
        for item in document.value("participants")
    }
    for id in wanted:
        _check_id(id)
    current = {row["id"] for row in await _participants(tx, event)}
    for id in sorted(current - set(wanted)):
        before = await tx.json("event_participant", id)
        assert before is not None
        await tx.delete("event_participant", id, before)
    for id in sorted(set(wanted) - current):
        item = wanted[id]
        await tx.insert(
            "event_participant",
            {"id": id, "event_id": event, "actor_id": item.actor, "role": item.role},
        )


async def create(tx: Tx, entity: str, data: Any) -> Written:
    """Create a record from its document; AlreadyExists if its id is taken."""
    kind = KINDS[entity]
    document = validate(kind, data)
    id = kind.id_of(document)
    _check_id(id)
    await _check_references(tx, kind, document)
    row = kind.row(document)
    await _span(tx, kind, document, row)
    await tx.insert(entity, row)
    if entity == "event":
        await _write_participants(tx, id, document)
    return Written(entity, id)


def _relocating(kind: Kind, patch: Mapping[str, Any]) -> bool:
    """Whether the patch asks for the quote to be found again (its text, occurrence or
    source changed, and no offsets given)."""
    if kind.quote is None or "span" in patch:
        return False
    return any(name in patch for name in (kind.quote, "occurrence", "source"))


async def update(
    tx: Tx,
    entity: str,
    id: str,
    patch: Any,
    *,
    precondition: Precondition | None = None,
) -> Written:
    """Apply a merge patch to the record's document; its id and identity never change."""
    kind = KINDS[entity]
    current = await tx.row(entity, id, lock=True)
    if current is None:
        raise NotFound(entity, id)
    if precondition is not None:
        await precondition(tx, current)
    children = await _participants(tx, id) if entity == "event" else None
    base = kind.document(current, children)
    merged = merge_patch(base, patch)
    if isinstance(patch, dict) and isinstance(merged, dict):
        if _relocating(kind, patch):
            merged.pop("span", None)
        _check_unchanged(kind, base, merged)
    document = validate(kind, merged)
    await _check_references(tx, kind, document)
    row = kind.row(document)
    await _span(tx, kind, document, row)
    row.pop("id")
    before = await tx.json(entity, id)
    assert before is not None
    moved: list[reanchor.Anchor] = []
    if entity == "source" and row["text"] != current["text"]:
        anchors = await reanchor.plan(tx, id, row["text"])
        await tx.update(entity, id, row, before)
        moved = await reanchor.apply(tx, anchors)
    else:
        await tx.update(entity, id, row, before)
    if entity == "event":
        await _write_participants(tx, id, document)
    return Written(entity, id, moved)


def _check_unchanged(kind: Kind, base: Row, merged: Row) -> None:
    fixed = kind.identity or ("id",)
    changed = [name for name in fixed if merged.get(name) != base.get(name)]
    if changed:
        raise InvalidBody(
            [
                FieldError(name, "cannot change: delete the record and create another")
                for name in changed
            ]
        )


async def delete(tx: Tx, entity: str, id: str, *, precondition: Precondition | None = None) -> None:
    """Delete a record that nothing refers to (an event takes its participants along)."""
    current = await tx.row(entity, id, lock=True)
    if current is None:
        raise NotFound(entity, id)
    if precondition is not None:
        await precondition(tx, current)
    before = await tx.json(entity, id)
    assert before is not None
    referrers = await tx.referrers(entity, id)
    if not referrers and entity == "event":
        for participant in await _participants(tx, id):
            row = await tx.json("event_participant", participant["id"])
            assert row is not None
            await tx.delete("event_participant", participant["id"], row)
    await tx.delete(entity, id, before)
