"""The controlled vocabularies of the data model.

One definition serves the database (CHECK constraints), the fixture schema, REST and GraphQL,
so a new value lands everywhere at once (plus a migration for the constraint).
"""

from __future__ import annotations

from enum import StrEnum


class ActorKind(StrEnum):
    """What sort of actor speaks or acts."""

    PERSON = "person"
    ORGANIZATION = "organization"
    STATE = "state"
    GROUP = "group"
    """An unnamed collective, such as "Western diplomats and analysts"."""
    MEDIA = "media"


class StatementKind(StrEnum):
    """How the source conveys a statement."""

    QUOTE = "quote"
    """Words the source puts in quotation marks and attributes to the speaker."""
    PARAPHRASE = "paraphrase"
    """The speaker's position in the source's words."""
    REPORT = "report"
    """A view the source reports, or asserts in its own voice."""


class Attribution(StrEnum):
    """How the source attributes a statement to its speaker."""

    EXPLICIT = "explicit"
    """The source names the speaker at the statement."""
    IMPLIED = "implied"
    """Only the context (the paragraph, the sentence before) points to the speaker."""


class Position(StrEnum):
    """A statement's position on a claim."""

    SUPPORTS = "supports"
    DISPUTES = "disputes"
    NEUTRAL = "neutral"


class Precision(StrEnum):
    """How much of a date is known; the stored date is the first day of that period."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    """What happened."""

    UNREST = "unrest"
    PROTEST = "protest"
    VIOLENCE = "violence"
    SPEECH = "speech"
    DEPLOYMENT = "deployment"
    MEETING = "meeting"
    ARREST = "arrest"
    FUNDING = "funding"
    OTHER = "other"


class EvidenceRelation(StrEnum):
    """How a piece of evidence bears on its claim."""

    SUPPORTS = "supports"
    """Counts for the claim."""
    REFUTES = "refutes"
    """Counts against the claim (including a stated absence of evidence)."""
    CONTEXT = "context"
    """Bears on the claim without counting for or against it."""


class Scope(StrEnum):
    """What an API key may do."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"
