"""Every entity declared once: its table, orders, filters, and what it links to.

This is the map that REST, GraphQL and SQL all read. A REST representation or a GraphQL
selection names fields; the names lead here to columns (`Entity.table`), to one linked row
(`Link`: a foreign key) or to many (`Relation`: the children whose column names the parent,
in one of the child's sorts, narrowed by its filters). The JSON builder
(api/store/projection.py) turns such a selection into SQL; the GraphQL resolvers of the
reference path load the same links and relations through DataLoaders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from api.db.models import TABLES
from api.store import actors, audit, claims, events, evidence, sources, statements
from api.store.filters import Conditions, Filter, Values, no_conditions
from api.store.pagination import Sort
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
    span: str | None = None
    links: dict[str, Link] = field(default_factory=dict, repr=False)
    relations: dict[str, Relation] = field(default_factory=dict, repr=False)

    @property
    def table(self) -> sa.Table:
        return TABLES[self.name]

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


SOURCE = Entity("source", "Source", sources.SORTS)
ACTOR = Entity("actor", "Actor", actors.SORTS, filters=actors.FILTERS, conditions=actors.conditions)
AFFILIATION = Entity("affiliation", "Affiliation", actors.AFFILIATION_SORTS, span="quote")
STATEMENT = Entity(
    "statement",
    "Statement",
    statements.SORTS,
    statements.DEFAULT_SORT,
    statements.FILTERS,
    statements.conditions,
    span="text",
)
CLAIM = Entity("claim", "Claim", claims.SORTS, filters=claims.FILTERS, conditions=claims.conditions)
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

AUDIT = Entity(
    "audit_log",
    "AuditEntry",
    audit.SORTS,
    audit.DEFAULT_SORT,
    filters=audit.FILTERS,
    conditions=audit.conditions,
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
ENTITIES = {**NODES, AUDIT.name: AUDIT}
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
