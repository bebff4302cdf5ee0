"""Every entity declared once: its table, orders, filters, and what it links to.

This is the map that REST, GraphQL and SQL all read. A REST representation or a GraphQL
selection names fields; the names lead here to columns (`Entity.table`), to one linked row
(`Link`: a foreign key) or to many (`Relation`: the children whose column names the parent,
in one of the child's sorts, narrowed by its filters). The JSON builder
(api/store/kit/projection.py) turns such a selection into SQL; the GraphQL resolvers of the
reference path load the same links and relations through DataLoaders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api.db.models import TABLES
from api.store import (
    actors,
    audit,
    claims,
    counts,
    dossier,
    events,
    evidence,
    search,
    sources,
    statements,
    timeline,
)
from api.store.kit.filters import Check, Conditions, Filter, Values, no_check, no_conditions
from api.store.kit.pagination import Sort, Window
from api.vocabulary import Position


@dataclass(frozen=True, eq=False)
class Entity:
    """A kind of record: `name` is its word in REST paths and errors, `type_name` its
    GraphQL type; `span` names the column holding its verbatim quote, if it has a span."""

    name: str
    type_name: str
    sorts: Mapping[str, Sort]
    default_sort: str = "id"
    filters: tuple[Filter, ...] = ()
    conditions: Conditions = no_conditions
    check: Check = no_check
    span: str | None = None
    #: Values computed from a row, by field name (counts, a search hit's snippet).
    computed: dict[str, Callable[[FromClause], Any]] = field(default_factory=dict, repr=False)
    #: Values computed over a whole list (narrowed by its filters), by field name: the
    #: timeline's count of undated items it leaves out.
    summaries: dict[str, Callable[[Values], Any]] = field(default_factory=dict, repr=False)
    #: The rows of a virtual entity (search hits, timeline entries), made for given filter
    #: values; None for a table's entity.
    source: Callable[[Values, Window | None], FromClause] | None = None
    links: dict[str, Link] = field(default_factory=dict, repr=False)
    relations: dict[str, Relation] = field(default_factory=dict, repr=False)

    @property
    def table(self) -> sa.Table:
        return TABLES[self.name]

    @property
    def is_node(self) -> bool:
        """Whether its rows are GraphQL nodes (with global ids): a table's rows are."""
        return self.source is None

    def rows(self, values: Values, window: Window | None = None) -> FromClause:
        """A fresh row source: an alias of the table, or the virtual entity's rows (which
        may use the `window` of a page to read no more of each part than the page needs)."""
        return self.table.alias() if self.source is None else self.source(values, window)

    def where(self, rows: FromClause, values: Values) -> list[ColumnElement[bool]]:
        """The filters' conditions over `rows` from `rows(values)`. A virtual entity's rows
        come filtered (each part of its union is, so that it can use its own indexes);
        a table's are not."""
        return [] if self.source is not None else list(self.conditions(rows, values))

    def filter(self, name: str) -> Filter:
        return next(item for item in self.filters if item.name == name)


@dataclass(frozen=True)
class Link:
    """One row of `target` named by this row's `column` (NULL: no link)."""

    name: str
    column: str
    target: Entity


@dataclass(frozen=True)
class Relation:
    """The `child` rows whose `parent_column` names the parent, narrowed by `fixed` filter
    values; `arguments` are the child's filters a client may give one by one, and with
    `filterable` it may give all of them (and a sort), as on the child's own list."""

    name: str
    child: Entity
    parent_column: str
    fixed: Values = field(default_factory=dict)
    arguments: tuple[str, ...] = ()
    filterable: bool = False


SOURCE = Entity("source", "Source", sources.SORTS, computed={"text_length": counts.text_length})
ACTOR = Entity(
    "actor",
    "Actor",
    actors.SORTS,
    filters=actors.FILTERS,
    conditions=actors.conditions,
    computed={"statement_counts": counts.actor_statements},
)
AFFILIATION = Entity("affiliation", "Affiliation", actors.AFFILIATION_SORTS, span="quote")
STATEMENT = Entity(
    "statement",
    "Statement",
    statements.SORTS,
    statements.DEFAULT_SORT,
    statements.FILTERS,
    statements.conditions,
    statements.check,
    span="text",
)
CLAIM = Entity(
    "claim",
    "Claim",
    claims.SORTS,
    filters=claims.FILTERS,
    conditions=claims.conditions,
    computed={
        "statement_counts": counts.claim_stances,
        "evidence_counts": counts.claim_evidence,
        "dossier": dossier.dossier,
    },
)
STANCE = Entity(
    "stance",
    "Stance",
    claims.STANCE_SORTS,
    filters=claims.STANCE_FILTERS,
    conditions=claims.stance_conditions,
)
EVENT = Entity(
    "event",
    "Event",
    events.SORTS,
    events.DEFAULT_SORT,
    events.FILTERS,
    events.conditions,
    events.check,
    span="quote",
)
PARTICIPANT = Entity(
    "event_participant",
    "EventParticipant",
    events.PARTICIPANT_SORTS,
    filters=events.PARTICIPANT_FILTERS,
    conditions=events.participant_conditions,
)
EVIDENCE = Entity(
    "evidence",
    "Evidence",
    evidence.SORTS,
    evidence.DEFAULT_SORT,
    evidence.FILTERS,
    evidence.conditions,
    span="quote",
)

SEARCH = Entity(
    "search",
    "SearchHit",
    search.SORTS,
    "rank",
    search.FILTERS,
    search.conditions,
    search.check,
    span="span_exact",
    computed={"snippet": search.snippet},
    source=search.rows,
)

TIMELINE = Entity(
    "timeline",
    "TimelineEntry",
    timeline.SORTS,
    "date",
    timeline.FILTERS,
    timeline.conditions,
    timeline.check,
    source=timeline.rows,
    summaries={
        "undated": timeline.undated,
        "undated_events": timeline.undated_events,
        "undated_statements": timeline.undated_statements,
    },
)

AUDIT = Entity(
    "audit_log",
    "AuditEntry",
    audit.SORTS,
    audit.DEFAULT_SORT,
    filters=audit.FILTERS,
    conditions=audit.conditions,
    computed={"key": audit.key},
)

#: The records a client reads and writes (each a GraphQL node type), by name.
NODES = {
    entity.name: entity
    for entity in (
        SOURCE,
        ACTOR,
        AFFILIATION,
        STATEMENT,
        CLAIM,
        STANCE,
        EVENT,
        PARTICIPANT,
        EVIDENCE,
    )
}
#: Every entity: the nodes, the virtual lists (search hits, timeline entries), the audit log.
ENTITIES = {**NODES, **{entity.name: entity for entity in (SEARCH, TIMELINE, AUDIT)}}
#: Every entity by its GraphQL type, and the node entities only.
TYPES = {entity.type_name: entity for entity in ENTITIES.values()}
BY_TYPE = {entity.type_name: entity for entity in NODES.values()}


def _link(entity: Entity, name: str, column: str, target: Entity) -> None:
    entity.links[name] = Link(name, column, target)


def _relation(entity: Entity, relation: Relation) -> None:
    entity.relations[relation.name] = relation


for _entity, _name, _column, _target in (
    (AFFILIATION, "actor", "actor_id", ACTOR),
    (AFFILIATION, "organization", "organization_id", ACTOR),
    (AFFILIATION, "source", "source_id", SOURCE),
    (STATEMENT, "speaker", "speaker_id", ACTOR),
    (STATEMENT, "source", "source_id", SOURCE),
    (STATEMENT, "event", "event_id", EVENT),
    (STANCE, "statement", "statement_id", STATEMENT),
    (STANCE, "claim", "claim_id", CLAIM),
    (EVENT, "parent", "parent_id", EVENT),
    (EVENT, "source", "source_id", SOURCE),
    (PARTICIPANT, "actor", "actor_id", ACTOR),
    (PARTICIPANT, "event", "event_id", EVENT),
    (EVIDENCE, "claim", "claim_id", CLAIM),
    (EVIDENCE, "statement", "statement_id", STATEMENT),
    (EVIDENCE, "event", "event_id", EVENT),
    (EVIDENCE, "source", "source_id", SOURCE),
    (EVIDENCE, "offered_by", "offered_by_id", ACTOR),
    (SEARCH, "speaker", "speaker_id", ACTOR),
    (SEARCH, "source", "source_id", SOURCE),
    (TIMELINE, "event", "event_id", EVENT),
    (TIMELINE, "statement", "statement_id", STATEMENT),
    (TIMELINE, "speaker", "speaker_id", ACTOR),
):
    _link(_entity, _name, _column, _target)

for _entity, _relation_of in (
    (SOURCE, Relation("statements", STATEMENT, "source_id", filterable=True)),
    (ACTOR, Relation("affiliations", AFFILIATION, "actor_id")),
    (ACTOR, Relation("statements", STATEMENT, "speaker_id", filterable=True)),
    (STATEMENT, Relation("stances", STANCE, "statement_id")),
    (CLAIM, Relation("stances", STANCE, "claim_id", arguments=("position",))),
    (CLAIM, Relation("supporters", STANCE, "claim_id", {"position": Position.SUPPORTS.value})),
    (CLAIM, Relation("disputers", STANCE, "claim_id", {"position": Position.DISPUTES.value})),
    (CLAIM, Relation("evidence", EVIDENCE, "claim_id", arguments=("relation",))),
    (EVENT, Relation("children", EVENT, "parent_id", filterable=True)),
    (EVENT, Relation("participants", PARTICIPANT, "event_id")),
    (EVENT, Relation("statements", STATEMENT, "event_id", filterable=True)),
):
    _relation(_entity, _relation_of)

# Every record's history: the audit entries of its writes, oldest first.
for _entity in NODES.values():
    _relation(_entity, Relation("history", AUDIT, "entity_id", {"entity": _entity.name}))
