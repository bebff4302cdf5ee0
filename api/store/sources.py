"""Sources: the published texts every span points into."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from pydantic import AwareDatetime
from sqlalchemy.sql import FromClause

from api.store.kit.entity import Entity, Relation, by_name
from api.store.writes.forms import LANGUAGE, Document, Form, Language, Row, Slug, Text


class SourceDescription(Document):
    """A published text, but the text itself (a fixture's `source.yaml`)."""

    id: Slug
    title: Text
    publisher: Text
    url: Text | None = None
    published_at: AwareDatetime | None = None
    modified_at: AwareDatetime | None = None
    retrieved_at: AwareDatetime | None = None
    language: Language


class SourceInput(SourceDescription):
    """A published text. Changing `text` later re-anchors every quote in it."""

    text: Text


def text_sha256(text: str) -> str:
    """The SHA-256 of the UTF-8 text, hex: what a reader checks a copy against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _derived(row: Row) -> Row:
    return {"text_sha256": text_sha256(row["text"])}


def text_length(row: FromClause) -> Any:
    """A source's length in code points (its text is served apart)."""
    return sa.func.char_length(row.c.text)


SOURCE = Entity(
    name="source",
    type_name="Source",
    named_by="title",
    fields={
        "title": "The title, as published.",
        "publisher": "Who published it.",
        "url": "Where it was published, if known.",
        "published_at": "When it was published, if known.",
        "modified_at": "When the publisher last changed it, if known.",
        "retrieved_at": "When it was captured, if known.",
        "language": LANGUAGE,
        "text": "The full text, exactly as published: every span's offsets count into it.",
        "text_sha256": "SHA-256 of the UTF-8 text, hex.",
        "text_length": "Length of the text in code points.",
    },
    computed={"text_length": text_length},
    relations=by_name(
        Relation(
            "statements",
            "statement",
            "source_id",
            "The statements this source reports, in reading order unless sorted.",
            filterable=True,
        )
    ),
    form=Form(model=SourceInput, derive=_derived, reanchors=True),
)
