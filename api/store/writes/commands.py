"""The write commands, one set for REST and GraphQL: create, update (a merge patch) and delete
any kind of record, in a transaction from api/store/writes/transaction.py.

Every command validates its document like a fixture entry: references must exist, a quote
must be its span of the source text (found as the loader finds it, or checked where offsets
are given), derived ids and ids never change. Deleting what is still referred to is refused
with the list of referrers. A kind whose form `reanchors` (a source) moves every quote into
its new text, or refuses the text whole; a kind with `children` (an event's participants)
writes them with it. Each row written is audited in the same transaction. What a command
does for a kind it reads from the kind's `Form` (api/store/writes/forms.py).
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from api.errors import FieldError, InvalidBody, NotFound, SpanMismatch
from api.store import spans
from api.store.entities import WRITABLE
from api.store.kit.rows import Record
from api.store.writes import reanchor
from api.store.writes.forms import Children, Document, Form
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


def form_of(entity: str) -> Form:
    form = WRITABLE[entity].form
    assert form is not None
    return form


def unknown_members(model: type[BaseModel], patch: Any, prefix: str = "") -> list[FieldError]:
    """The members of a merge patch that the document has no field for, at any depth: a
    `null` for one would otherwise remove nothing and pass unnoticed."""
    if not isinstance(patch, dict):
        return []
    found = []
    for name, value in patch.items():
        info = model.model_fields.get(name)
        if info is None:
            found.append(FieldError(f"{prefix}{name}", "is not a field of this record"))
            continue
        inner = [
            kind
            for kind in (info.annotation, *typing.get_args(info.annotation))
            if isinstance(kind, type) and issubclass(kind, BaseModel)
        ]
        if inner and isinstance(value, dict):
            found += unknown_members(inner[0], value, f"{prefix}{name}.")
    return found


def validate(form: Form, data: Any) -> Document:
    if not isinstance(data, dict):
        raise InvalidBody([FieldError("body", "must be a JSON object")])
    try:
        return form.model.model_validate(data)
    except ValidationError as error:
        raise invalid(error) from error


async def _check_references(tx: Tx, form: Form, document: Document) -> None:
    """Every record the document names must exist (checked in one query)."""
    named: dict[str, tuple[str, str]] = {}
    for name, target in form.references.items():
        value = document.value(name)
        if value is not None:
            named[name] = (target, value)
    children = form.children
    if children is not None:
        for index, child in enumerate(document.value(children.listing) or ()):
            for name, target in children.references.items():
                named[f"{children.listing}.{index}.{name}"] = (target, getattr(child, name))
    missing = await tx.missing(named)
    if missing:
        raise InvalidBody(
            [
                FieldError(name, f"no {named[name][0]} with id {named[name][1]!r}")
                for name in missing
            ]
        )


async def _span(tx: Tx, form: Form, document: Document, row: Row) -> None:
    """Set the row's span from its quote: found as the loader finds it, or checked."""
    if form.quote is None:
        return
    quote = getattr(document, form.quote)
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
        raise SpanMismatch(mismatch.message, quote, form.quote) from mismatch
    row.update(span_start=found.start, span_end=found.end)


def _check_id(id: str) -> None:
    if len(id) > MAX_ID:
        raise InvalidBody([FieldError("id", f"the id {id!r} is longer than {MAX_ID} characters")])


async def _children(tx: Tx, children: Children | None, parent: str) -> list[Record]:
    """The rows the record owns (an event's participants), none for a kind without."""
    if children is None:
        return []
    return await tx.rows_where(children.entity, children.parent_column, parent)


async def _write_children(tx: Tx, form: Form, parent: str, document: Document) -> None:
    """Make the rows the record owns its document's list: add the new, delete the gone."""
    children = form.children
    if children is None:
        return
    wanted = {
        row["id"]: row
        for row in (children.row(parent, item) for item in document.value(children.listing))
    }
    for id in wanted:
        _check_id(id)
    current = {row["id"] for row in await _children(tx, children, parent)}
    for id in sorted(current - set(wanted)):
        before = await tx.json(children.entity, id)
        assert before is not None
        await tx.delete(children.entity, id, before)
    for id in sorted(set(wanted) - current):
        await tx.insert(children.entity, wanted[id])


async def create(tx: Tx, entity: str, data: Any) -> Written:
    """Create a record from its document; AlreadyExists if its id is taken."""
    form = form_of(entity)
    document = validate(form, data)
    id = form.id_of(document)
    _check_id(id)
    await _check_references(tx, form, document)
    row = form.row(document)
    await _span(tx, form, document, row)
    await tx.insert(entity, row)
    await _write_children(tx, form, id, document)
    return Written(entity, id)


async def _locked(tx: Tx, entity: str, id: str, precondition: Precondition | None) -> Record:
    """The record, locked until the transaction ends, once its precondition holds."""
    current = await tx.row(entity, id, lock=True)
    if current is None:
        raise NotFound(entity, id)
    if precondition is not None:
        await precondition(tx, current)
    return current


def _relocating(form: Form, patch: Mapping[str, Any]) -> bool:
    """Whether the patch asks for the quote to be found again (its text, occurrence or
    source changed, and no offsets given)."""
    if form.quote is None or "span" in patch:
        return False
    return any(name in patch for name in (form.quote, "occurrence", "source"))


async def update(
    tx: Tx,
    entity: str,
    id: str,
    patch: Any,
    *,
    precondition: Precondition | None = None,
) -> Written:
    """Apply a merge patch to the record's document; its id and identity never change."""
    form = form_of(entity)
    unknown = unknown_members(form.model, patch)
    if unknown:
        raise InvalidBody(unknown)
    current = await _locked(tx, entity, id, precondition)
    base = form.document(current, await _children(tx, form.children, id))
    merged = merge_patch(base, patch)
    if isinstance(patch, dict) and isinstance(merged, dict):
        if _relocating(form, patch):
            merged.pop("span", None)
        _check_unchanged(form, base, merged)
    document = validate(form, merged)
    await _check_references(tx, form, document)
    row = form.row(document)
    await _span(tx, form, document, row)
    row.pop("id")
    before = await tx.json(entity, id)
    assert before is not None
    moved: list[reanchor.Anchor] = []
    if form.reanchors and row["text"] != current["text"]:
        anchors = await reanchor.plan(tx, id, row["text"])
        await tx.update(entity, id, row, before)
        moved = await reanchor.apply(tx, anchors)
    else:
        await tx.update(entity, id, row, before)
    await _write_children(tx, form, id, document)
    return Written(entity, id, moved)


def _check_unchanged(form: Form, base: Row, merged: Row) -> None:
    fixed = form.identity or ("id",)
    changed = [name for name in fixed if merged.get(name) != base.get(name)]
    if changed:
        raise InvalidBody(
            [
                FieldError(name, "cannot change: delete the record and create another")
                for name in changed
            ]
        )


async def delete(tx: Tx, entity: str, id: str, *, precondition: Precondition | None = None) -> None:
    """Delete a record that nothing refers to, and the rows it owns (an event's
    participants)."""
    form = form_of(entity)
    await _locked(tx, entity, id, precondition)
    before = await tx.json(entity, id)
    assert before is not None
    referrers = await tx.referrers(entity, id)
    if not referrers and form.children is not None:
        for child in await _children(tx, form.children, id):
            row = await tx.json(form.children.entity, child["id"])
            assert row is not None
            await tx.delete(form.children.entity, child["id"], row)
    await tx.delete(entity, id, before)
