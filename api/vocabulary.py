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


class ChangeAction(StrEnum):
    """What a write did to a record."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Scope(StrEnum):
    """What an API key may do."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


# -- patterns of values every writer must respect (the database checks them too) ---------------

#: A record's id: lower-case words joined by "-"; "--" joins the parts of a derived id
#: (`statement--claim`).
ID_PATTERN = r"^[a-z0-9]+(--?[a-z0-9]+)*$"
#: A slug a writer chooses (an id, a tag, a role): lower-case words joined by "-".
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: A BCP 47 language tag, as far as claimgraph checks one (`en`, `ru`, `zh-Hant`).
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
#: A Wikidata item id.
QID_PATTERN = r"^Q[1-9][0-9]*$"
#: An ISO 3166-1 alpha-2 country code.
COUNTRY_PATTERN = r"^[A-Z]{2}$"
