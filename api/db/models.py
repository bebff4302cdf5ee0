"""The tables: the single definition of the schema that Alembic migrates.

Rules the database enforces itself, so that no writer (loader, API, psql) can break them:
vocabularies as CHECK constraints, `start < end` on every span, and (in the migrations) a
trigger that refuses a quote that is not its span of the source text, and one that bumps
`version` and `updated_at` on every real change.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from api.dates import until_sql
from api.vocabulary import (
    COUNTRY_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    QID_PATTERN,
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    Scope,
    StatementKind,
)

OnDelete = Literal["CASCADE", "SET NULL", "RESTRICT"]

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_SLUG_SQL = f"'{ID_PATTERN}'"


def _vocabulary(values: type[enum.StrEnum], name: str) -> sa.Enum:
    """A VARCHAR with a CHECK constraint: adding a value is a plain constraint swap."""
    return sa.Enum(
        values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def _now() -> Any:
    return sa.text("now()")


def _fk(target: str, *, nullable: bool, ondelete: OnDelete = "RESTRICT", index: bool = True) -> Any:
    """A foreign key with its index (PostgreSQL does not index referencing columns).

    `index=False` only where a composite index of the table leads with the column.
    """
    if nullable:
        return Field(
            default=None, foreign_key=target, ondelete=ondelete, index=index, max_length=120
        )
    return Field(foreign_key=target, ondelete=ondelete, index=index, max_length=120)


class Versioned(SQLModel):
    """Columns every table has: a slug id, timestamps and a version (the ETag)."""

    id: str = Field(primary_key=True, max_length=120)
    created_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": _now(), "nullable": False},
    )
    updated_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": _now(), "nullable": False},
    )
    version: int | None = Field(
        default=None, sa_column_kwargs={"server_default": sa.text("1"), "nullable": False}
    )


def _until(day: str, precision: str) -> Any:
    """The end (exclusive) of the period a date names, computed by PostgreSQL from the date
    and its precision (api/dates.py): generated, so no writer can get it wrong."""
    return Field(
        default=None,
        sa_type=sa.Date,
        sa_column_args=[sa.Computed(until_sql(day, precision), persisted=True)],
    )


def _search(expression: str) -> Any:
    """A generated tsvector over the row's words (migration 0008 has the configuration)."""
    return Field(
        default=None,
        sa_type=TSVECTOR,
        nullable=True,
        sa_column_args=[sa.Computed(expression, persisted=True)],
    )


def _gin(table: str, column: str, trigram: bool = False) -> sa.Index:
    """A GIN index: the full-text one on `search`, or a trigram one for similar words."""
    if trigram:
        return sa.Index(
            f"ix_{table}_{column}_trgm",
            column,
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    return sa.Index(f"ix_{table}_{column}", column, postgresql_using="gin")


def _timeline(table: str, day: str, precision: str) -> tuple[sa.Index, sa.Index]:
    """The timeline's order (api/store/timeline.py) over a table's dated rows, and its
    undated rows, as migration 0010 creates them. The CASE is written with PostgreSQL's own
    line breaks: Alembic compares expression indexes by their printed text, and ignores
    spaces and casts but not line breaks."""
    granularity = (
        f"(\nCASE {precision}\n    WHEN 'year'::text THEN 0\n    WHEN 'month'::text THEN 1\n"
        "    WHEN 'day'::text THEN 2\n    ELSE 3\nEND)"
    )
    return (
        sa.Index(
            f"ix_{table}_timeline",
            sa.text(f"coalesce({day}, '9999-12-30'::date)"),
            sa.text(granularity),
            sa.text(f"('{table}:' || id)"),
            postgresql_where=sa.text(f"{day} IS NOT NULL"),
        ),
        sa.Index(f"ix_{table}_undated", "id", postgresql_where=sa.text(f"{day} IS NULL")),
    )


#: The 32 characters before and after a span (its TextQuoteSelector context), set by the
#: span trigger from the source text: a read then never decompresses a whole article.
SPAN_CONTEXT: Any = Field(default=None, sa_type=sa.Text)


def _span_checks(quote: str, *, optional: bool) -> tuple[sa.CheckConstraint, ...]:
    checks = [
        sa.CheckConstraint("span_start >= 0 AND span_start < span_end", name="span_order"),
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
    ]
    if optional:
        checks.append(
            sa.CheckConstraint(
                f"(source_id IS NULL) = (span_start IS NULL) AND (source_id IS NULL) = "
                f"(span_end IS NULL) AND (source_id IS NULL) = ({quote} IS NULL)",
                name="span_complete",
            )
        )
    return tuple(checks)


class Source(Versioned, table=True):
    """A published text; every span points into its `text`."""

    __tablename__ = "source"
    __table_args__ = (
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
        sa.CheckConstraint("text_sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        sa.CheckConstraint(f"language ~ '{LANGUAGE_PATTERN}'", name="language_tag"),
    )

    title: str
    publisher: str
    url: str | None = None
    published_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )
    modified_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )
    retrieved_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )
    language: str = Field(max_length=35)
    text: str = Field(sa_type=sa.Text)
    text_sha256: str = Field(max_length=64)


class Actor(Versioned, table=True):
    """A person, organisation, state, collective group or media outlet that speaks or acts."""

    __tablename__ = "actor"
    __table_args__ = (
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
        sa.CheckConstraint(f"country ~ '{COUNTRY_PATTERN}'", name="country_alpha2"),
        sa.CheckConstraint(f"wikidata ~ '{QID_PATTERN}'", name="wikidata_qid"),
        _gin("actor", "search"),
        _gin("actor", "name", trigram=True),
        _gin("actor", "names", trigram=True),
    )

    name: str
    kind: ActorKind = Field(sa_type=_vocabulary(ActorKind, "actor_kind"))
    aliases: list[str] = Field(
        default_factory=list,
        sa_type=pg.ARRAY(sa.Text),
        sa_column_kwargs={"server_default": sa.text("'{}'::text[]"), "nullable": False},
    )
    description: str | None = Field(default=None, sa_type=sa.Text)
    country: str | None = Field(default=None, max_length=2)
    wikidata: str | None = Field(default=None, max_length=16)
    identifiers: dict[str, str] = Field(
        default_factory=dict,
        sa_type=pg.JSONB,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb"), "nullable": False},
    )
    #: The name and aliases in one text, for trigram search of misspelled names.
    names: str | None = Field(
        default=None,
        sa_type=sa.Text,
        sa_column_args=[sa.Computed("name || ' ' || claimgraph_words(aliases)", persisted=True)],
    )
    search: Any = _search(
        "setweight(to_tsvector('claimgraph', name), 'A') || "
        "setweight(to_tsvector('claimgraph', claimgraph_words(aliases)), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'C')"
    )


class Affiliation(Versioned, table=True):
    """An actor's role in an organisation or state, optionally pinned to a span."""

    __tablename__ = "affiliation"
    __table_args__ = (
        *_span_checks("quote", optional=True),
        sa.CheckConstraint("actor_id <> organization_id", name="not_self"),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name="date_order"
        ),
        sa.UniqueConstraint("actor_id", "organization_id", "role"),
        sa.Index("ix_affiliation_actor_id_id", "actor_id", "id"),
    )

    actor_id: str = _fk("actor.id", nullable=False, ondelete="CASCADE", index=False)
    organization_id: str = _fk("actor.id", nullable=False, ondelete="CASCADE")
    role: str
    start_date: date | None = None
    end_date: date | None = None
    source_id: str | None = _fk("source.id", nullable=True, ondelete="CASCADE")
    span_start: int | None = None
    span_end: int | None = None
    quote: str | None = Field(default=None, sa_type=sa.Text)
    span_prefix: str | None = SPAN_CONTEXT
    span_suffix: str | None = SPAN_CONTEXT


class Event(Versioned, table=True):
    """Something that happened: the unrest, a deployment, a speech, a funding programme."""

    __tablename__ = "event"
    __table_args__ = (
        *_span_checks("quote", optional=True),
        sa.CheckConstraint(
            "(start_date IS NULL) = (start_precision = 'unknown')", name="start_known"
        ),
        sa.CheckConstraint("(end_date IS NULL) = (end_precision = 'unknown')", name="end_known"),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name="date_order"
        ),
        sa.CheckConstraint(f"place_country ~ '{COUNTRY_PATTERN}'", name="country_alpha2"),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        sa.CheckConstraint("parent_id <> id", name="not_own_parent"),
        sa.Index(
            "ix_event_start_latest",
            sa.func.coalesce(sa.column("start_date"), sa.text("'9999-12-30'::date")),
            "id",
        ),
        sa.Index(
            "ix_event_start_earliest",
            sa.func.coalesce(sa.column("start_date"), sa.text("'0001-01-02'::date")),
            "id",
        ),
        _gin("event", "search"),
        *_timeline("event", "start_date", "start_precision"),
        sa.Index(
            "ix_event_parent_start",
            "parent_id",
            sa.func.coalesce(sa.column("start_date"), sa.text("'9999-12-30'::date")),
            "id",
        ),
    )

    title: str
    kind: EventKind = Field(sa_type=_vocabulary(EventKind, "event_kind"))
    start_date: date | None = None
    start_precision: Precision = Field(
        default=Precision.UNKNOWN, sa_type=_vocabulary(Precision, "start_precision")
    )
    end_date: date | None = None
    end_precision: Precision = Field(
        default=Precision.UNKNOWN, sa_type=_vocabulary(Precision, "end_precision")
    )
    start_until: date | None = _until("start_date", "start_precision")
    end_until: date | None = _until("end_date", "end_precision")
    search: Any = _search(
        "setweight(to_tsvector('claimgraph', title), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'B') || "
        "setweight(to_tsvector('claimgraph', coalesce(place_name, '')), 'C')"
    )
    place_name: str | None = None
    place_country: str | None = Field(default=None, max_length=2)
    latitude: float | None = None
    longitude: float | None = None
    parent_id: str | None = _fk("event.id", nullable=True, ondelete="SET NULL", index=False)
    description: str | None = Field(default=None, sa_type=sa.Text)
    source_id: str | None = _fk("source.id", nullable=True, ondelete="CASCADE")
    span_start: int | None = None
    span_end: int | None = None
    quote: str | None = Field(default=None, sa_type=sa.Text)
    span_prefix: str | None = SPAN_CONTEXT
    span_suffix: str | None = SPAN_CONTEXT


class EventParticipant(Versioned, table=True):
    """An actor's part in an event."""

    __tablename__ = "event_participant"
    __table_args__ = (
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
        sa.UniqueConstraint("event_id", "actor_id", "role"),
        sa.Index("ix_event_participant_event_id_id", "event_id", "id"),
    )

    event_id: str = _fk("event.id", nullable=False, ondelete="CASCADE", index=False)
    actor_id: str = _fk("actor.id", nullable=False, ondelete="CASCADE")
    role: str


class Statement(Versioned, table=True):
    """What someone said or is reported to hold, pinned to its exact span of a source."""

    __tablename__ = "statement"
    __table_args__ = (
        *_span_checks("text", optional=False),
        sa.CheckConstraint(
            "(said_on IS NULL) = (said_on_precision = 'unknown')", name="said_on_known"
        ),
        # A speaker comes with how the source attributes the words to them; no speaker, none.
        sa.CheckConstraint(
            "(speaker_id IS NULL) = (attribution IS NULL)", name="attribution_with_speaker"
        ),
        # The keys of the list sorts (api/store/statements.py), so that pages are range scans.
        sa.Index("ix_statement_reading_order", "source_id", "span_start", "id"),
        sa.Index(
            "ix_statement_said_on_latest",
            sa.func.coalesce(sa.column("said_on"), sa.text("'9999-12-30'::date")),
            "id",
        ),
        sa.Index(
            "ix_statement_said_on_earliest",
            sa.func.coalesce(sa.column("said_on"), sa.text("'0001-01-02'::date")),
            "id",
        ),
        # A speaker's and an event's statements in reading order (their connections' order).
        sa.Index(
            "ix_statement_speaker_reading_order", "speaker_id", "source_id", "span_start", "id"
        ),
        sa.Index("ix_statement_event_reading_order", "event_id", "source_id", "span_start", "id"),
        _gin("statement", "search"),
        *_timeline("statement", "said_on", "said_on_precision"),
    )

    source_id: str = _fk("source.id", nullable=False, ondelete="CASCADE")
    speaker_id: str | None = _fk("actor.id", nullable=True, index=False)
    attribution: Attribution | None = Field(
        default=None, sa_type=_vocabulary(Attribution, "attribution")
    )
    kind: StatementKind = Field(sa_type=_vocabulary(StatementKind, "statement_kind"))
    text: str = Field(sa_type=sa.Text)
    span_start: int
    span_end: int
    span_prefix: str | None = SPAN_CONTEXT
    span_suffix: str | None = SPAN_CONTEXT
    said_on: date | None = None
    said_on_precision: Precision = Field(
        default=Precision.UNKNOWN, sa_type=_vocabulary(Precision, "said_on_precision")
    )
    said_until: date | None = _until("said_on", "said_on_precision")
    search: Any = _search("to_tsvector('claimgraph', text)")
    event_id: str | None = _fk("event.id", nullable=True, ondelete="SET NULL", index=False)
    language: str = Field(default="en", max_length=35)
    note: str | None = Field(default=None, sa_type=sa.Text)


class Claim(Versioned, table=True):
    """A proposition in neutral words that statements support or dispute."""

    __tablename__ = "claim"
    __table_args__ = (
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
        _gin("claim", "search"),
    )

    text: str = Field(sa_type=sa.Text)
    description: str | None = Field(default=None, sa_type=sa.Text)
    tags: list[str] = Field(
        default_factory=list,
        sa_type=pg.ARRAY(sa.Text),
        sa_column_kwargs={"server_default": sa.text("'{}'::text[]"), "nullable": False},
    )
    search: Any = _search(
        "setweight(to_tsvector('claimgraph', text), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'B') || "
        "setweight(to_tsvector('claimgraph', claimgraph_words(tags)), 'C')"
    )


class Stance(Versioned, table=True):
    """A statement's position on a claim; one per (statement, claim)."""

    __tablename__ = "stance"
    __table_args__ = (
        sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),
        sa.UniqueConstraint("statement_id", "claim_id"),
        # Serve the claim foreign key, count a claim's stances by position from the index
        # alone, and give a claim's stances (of one position, or all) in id order: a page
        # of supporters stops after `first` rows instead of sorting thousands.
        sa.Index("ix_stance_claim_id_position_id", "claim_id", "position", "id"),
        # A claim's dossier (migration 0013) in one range of one index: by side, speaker and
        # date, with everything it reads of each stance and its statement.
        sa.Index(
            "ix_stance_dossier",
            "claim_id",
            "position",
            "statement_speaker_key",
            "statement_said_on",
            "statement_id",
            postgresql_include=["hedged", "statement_said_on_precision", "statement_said_until"],
        ),
        sa.Index("ix_stance_claim_id_id", "claim_id", "id"),
        sa.Index("ix_stance_statement_id_id", "statement_id", "id"),
    )

    statement_id: str = _fk("statement.id", nullable=False, ondelete="CASCADE", index=False)
    claim_id: str = _fk("claim.id", nullable=False, ondelete="CASCADE", index=False)
    position: Position = Field(sa_type=_vocabulary(Position, "position"))
    hedged: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false(), "nullable": False}
    )
    note: str | None = Field(default=None, sa_type=sa.Text)
    # Copies of the statement's speaker ('' for none) and date, kept by triggers (migration
    # 0013) so that a claim's dossier reads one index; no writer sets them, nor are they the
    # stance's own: they change no version.
    statement_speaker_key: str = Field(
        default="", max_length=120, sa_column_kwargs={"server_default": "", "nullable": False}
    )
    statement_said_on: date | None = None
    statement_said_on_precision: str | None = Field(default=None, max_length=32)
    statement_said_until: date | None = _until("statement_said_on", "statement_said_on_precision")


class Evidence(Versioned, table=True):
    """An incident, figure or absence of evidence that bears on a claim, pinned to a span."""

    __tablename__ = "evidence"
    __table_args__ = (
        *_span_checks("quote", optional=False),
        sa.Index("ix_evidence_claim_reading_order", "claim_id", "source_id", "span_start", "id"),
        _gin("evidence", "search"),
    )

    claim_id: str = _fk("claim.id", nullable=False, ondelete="CASCADE", index=False)
    relation: EvidenceRelation = Field(sa_type=_vocabulary(EvidenceRelation, "evidence_relation"))
    summary: str = Field(sa_type=sa.Text)
    source_id: str = _fk("source.id", nullable=False, ondelete="CASCADE")
    span_start: int
    span_end: int
    quote: str = Field(sa_type=sa.Text)
    span_prefix: str | None = SPAN_CONTEXT
    span_suffix: str | None = SPAN_CONTEXT
    statement_id: str | None = _fk("statement.id", nullable=True, ondelete="SET NULL")
    event_id: str | None = _fk("event.id", nullable=True, ondelete="SET NULL")
    offered_by_id: str | None = _fk("actor.id", nullable=True)
    search: Any = _search(
        "setweight(to_tsvector('claimgraph', summary), 'A') || "
        "setweight(to_tsvector('claimgraph', quote), 'B')"
    )


class ApiKey(Versioned, table=True):
    """A credential for writes; only the secret's SHA-256 is stored."""

    __tablename__ = "api_key"
    __table_args__ = (sa.CheckConstraint(f"id ~ {_SLUG_SQL}", name="id_slug"),)

    name: str
    secret_sha256: str = Field(max_length=64, unique=True)
    scopes: list[Scope] = Field(
        default_factory=list,
        sa_type=pg.ARRAY(sa.Text),
        sa_column_kwargs={"nullable": False},
    )
    revoked_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
    )
    expires_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # A rotated key's former secret, accepted until the grace period ends.
    previous_secret_sha256: str | None = Field(default=None, max_length=64, unique=True)
    previous_expires_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ApiKeyUse(SQLModel, table=True):
    """When a key was last used, to the minute (apart from the key: see migration 0015)."""

    __tablename__ = "api_key_use"

    api_key_id: str = Field(
        foreign_key="api_key.id", ondelete="CASCADE", primary_key=True, max_length=120
    )
    last_used_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class Lexicon(SQLModel, table=True):
    """The distinct words of the texts search compares for similar words (migration 0017
    keeps it by triggers): a misspelled word is looked up here, by trigrams, not in every
    text."""

    __tablename__ = "lexicon"
    __table_args__ = (
        sa.Index(
            "ix_lexicon_word_trgm",
            "word",
            postgresql_using="gist",
            postgresql_ops={"word": "gist_trgm_ops"},
        ),
    )

    word: str = Field(primary_key=True, sa_type=sa.Text)


class RateLimit(SQLModel, table=True):
    """A client's bucket of one kind of request (see migration 0016); unlogged."""

    __tablename__ = "rate_limit"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    bucket: str = Field(primary_key=True, max_length=200)
    tat: float = Field(sa_type=sa.Double)


class AuditLog(SQLModel, table=True):
    """One row per write, written in the write's own transaction."""

    __tablename__ = "audit_log"
    # A record's history: its rows (entity_id, entity) in the order they were written.
    __table_args__ = (sa.Index("ix_audit_log_history", "entity_id", "entity", "id"),)

    id: int | None = Field(
        default=None,
        sa_column_args=[sa.Identity(always=True)],
        primary_key=True,
        sa_type=sa.BigInteger,
    )
    at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": _now(), "nullable": False},
    )
    api_key_id: str | None = _fk("api_key.id", nullable=True)
    action: str = Field(max_length=16)
    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=120)
    request_id: str | None = Field(default=None, max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_type=pg.JSONB)
    after: dict[str, Any] | None = Field(default=None, sa_type=pg.JSONB)
    #: The change's number in commit order, given at commit (migration 0014): the feed's key.
    seq: int | None = Field(default=None, sa_type=sa.BigInteger, index=True, unique=True)


class IdempotencyKey(SQLModel, table=True):
    """The first response to a POST sent with an `Idempotency-Key`, replayed to its repeats.

    Written in the transaction of the write it answers: a write that failed left no row, so
    its retry runs afresh. Keys are per API key and kept for a day.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (sa.Index("ix_idempotency_key_created_at", "created_at"),)

    api_key_id: str = Field(
        foreign_key="api_key.id", ondelete="CASCADE", primary_key=True, max_length=120
    )
    key: str = Field(primary_key=True, max_length=255)
    fingerprint: str = Field(max_length=64)
    created_at: datetime | None = Field(
        default=None,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": _now(), "nullable": False},
    )
    status: int
    headers: dict[str, str] = Field(sa_type=pg.JSONB)
    body: bytes = Field(sa_type=sa.LargeBinary)


#: Tables whose rows carry a span, and the column holding the verbatim text.
SPANNED: dict[str, str] = {
    "statement": "text",
    "evidence": "quote",
    "event": "quote",
    "affiliation": "quote",
}

#: The tables by name, for Core queries over aliases of them (the store's read path).
TABLES = SQLModel.metadata.tables
