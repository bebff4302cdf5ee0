"""Every entity, registered: the map that REST, GraphQL and SQL all read.

Each kind is declared in its own module (its fields, lists, links, write document, search);
this module gathers them, gives every record its `history` (the audit entries of its writes)
and fills the write documents' descriptions from the declarations, so that REST's request
bodies and GraphQL's mutation inputs say the same as the records they write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args, get_origin

from api.store import dossier
from api.store.actors import ACTOR
from api.store.affiliations import AFFILIATION
from api.store.audit import AUDIT
from api.store.claims import CLAIM
from api.store.events import EVENT, PARTICIPANT
from api.store.evidence import EVIDENCE
from api.store.kit.descriptions import fill
from api.store.kit.entity import Entity, Relation, register
from api.store.search import SEARCH
from api.store.sources import SOURCE
from api.store.stances import STANCE
from api.store.statements import STATEMENT
from api.store.timeline import TIMELINE
from api.store.writes.forms import INPUT_FIELDS, QUOTE_HELP, Document

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
ENTITIES = register(*NODES.values(), SEARCH, TIMELINE, AUDIT)
#: The entities by their GraphQL type, and the node entities only.
TYPES = {entity.type_name: entity for entity in ENTITIES.values()}
BY_TYPE = {entity.type_name: entity for entity in NODES.values()}
#: The kinds a client writes (through REST, GraphQL or an import), by name, in the order
#: GraphQL lists their mutations.
WRITABLE = {
    entity.name: entity
    for entity in (SOURCE, ACTOR, AFFILIATION, CLAIM, STATEMENT, STANCE, EVENT, EVIDENCE)
}

# Every record's history: the audit entries of its writes, oldest first.
for _entity in NODES.values():
    _entity.relations["history"] = Relation(
        "history",
        AUDIT.name,
        "entity_id",
        "The writes to this record, oldest first.",
        {"entity": _entity.name},
    )


def _referring() -> dict[str, list[tuple[str, str]]]:
    """What refers to a record of each kind, (table, column), read from the links of every
    kind, but the rows a kind owns (they go with it). Deleting a record any of these name is
    refused (409), whatever the foreign key would cascade."""
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in NODES}
    for entity in NODES.values():
        for link in entity.links.values():
            target = link.target.form
            owned = target is not None and target.children is not None
            if not (owned and target.children.entity == entity.name):  # type: ignore[union-attr]
                found[link.target_name].append((entity.name, link.column))
    return found


#: What refers to a record of each kind, (table, column).
REFERRERS = _referring()


def _document_in(annotation: Any) -> type[Document] | None:
    """The document model an annotation holds (in `X | None` or `list[X]`)."""
    if isinstance(annotation, type) and issubclass(annotation, Document):
        return annotation
    if get_origin(annotation) is not None:
        for argument in get_args(annotation):
            found = _document_in(argument)
            if found is not None:
                return found
    return None


def _describe_documents(entity: Entity) -> None:
    """Fill the descriptions of the entity's write documents, the documents they hold
    (a span, a place, the children) first."""
    form = entity.form
    assert form is not None
    nested: dict[str, Callable[[str], str | None]] = {
        name: embedded.describe for name, embedded in entity.embedded.items()
    }
    if form.children is not None:
        nested[form.children.listing] = ENTITIES[form.children.entity].describe

    def describe(name: str) -> str | None:
        text = INPUT_FIELDS.get(name) or entity.describe(name)
        return f"{text} {QUOTE_HELP}" if text and name == form.quote else text

    for model in (form.model, *form.also):
        for name, info in model.model_fields.items():
            inner = _document_in(info.annotation)
            if inner is not None and name in nested:
                fill(inner, nested[name])
        fill(model, describe)


for _entity in WRITABLE.values():
    _describe_documents(_entity)

# A dossier's claim means what the claim's fields mean (api/store/dossier.py cannot read the
# claim's declaration: the claim computes its dossier); the dossier takes it in anew.
fill(dossier.ClaimBrief, CLAIM.describe)
fill(dossier.Dossier, lambda name: None)
