"""Per-request DataLoaders over the store's batch functions: no query per parent, ever.

Every relation a GraphQL type exposes is a `Relation`: the child table, the column naming
the parent, the sorts it offers. A connection field asks `Loaders.page(relation, ...)` for its
parent's page; all parents asking in the same tick are answered by one windowed query
(`paginate_per_parent`), their totals by one grouped count. Each batch runs in its own short
read session, so batches that fire together never share a connection.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from api.db import models
from api.db.engine import Database
from api.store import batch, claims, events, evidence, statements
from api.store.pagination import (
    UNCACHED,
    Page,
    PageRequest,
    Sort,
    count_per_parent,
    paginate_per_parent,
    text_key,
)

Conditions = tuple[sa.ColumnElement[bool], ...]


@dataclass(frozen=True)
class Relation:
    """A one-to-many relation: `model` rows whose `parent` column names the parent."""

    name: str
    model: Any
    parent: Any
    sorts: dict[str, Sort]
    default_sort: str


def _by_id(model: Any) -> dict[str, Sort]:
    return {"id": Sort("id", (text_key(col(model.id)),))}


STATEMENTS_BY_SPEAKER = Relation(
    "actor.statements",
    models.Statement,
    col(models.Statement.speaker_id),
    statements.SORTS,
    "position",
)
STATEMENTS_BY_SOURCE = Relation(
    "source.statements",
    models.Statement,
    col(models.Statement.source_id),
    statements.SORTS,
    "position",
)
STATEMENTS_BY_EVENT = Relation(
    "event.statements",
    models.Statement,
    col(models.Statement.event_id),
    statements.SORTS,
    "position",
)
AFFILIATIONS_BY_ACTOR = Relation(
    "actor.affiliations",
    models.Affiliation,
    col(models.Affiliation.actor_id),
    _by_id(models.Affiliation),
    "id",
)
STANCES_BY_STATEMENT = Relation(
    "statement.stances",
    models.Stance,
    col(models.Stance.statement_id),
    claims.STANCE_SORTS,
    "id",
)
STANCES_BY_CLAIM = Relation(
    "claim.stances", models.Stance, col(models.Stance.claim_id), claims.STANCE_SORTS, "id"
)
EVIDENCE_BY_CLAIM = Relation(
    "claim.evidence", models.Evidence, col(models.Evidence.claim_id), evidence.SORTS, "position"
)
PARTICIPANTS_BY_EVENT = Relation(
    "event.participants",
    models.EventParticipant,
    col(models.EventParticipant.event_id),
    events.PARTICIPANT_SORTS,
    "id",
)
CHILDREN_BY_EVENT = Relation(
    "event.children", models.Event, col(models.Event.parent_id), events.SORTS, "start"
)


def _cacheable(relation: Relation, key: Hashable) -> Hashable:
    """Statements are reused only for a bounded set of conditions: none, or an enum value."""
    if key is None or isinstance(key, enum.Enum):
        return (relation.name, key)
    return UNCACHED


@dataclass
class Loaders:
    """The DataLoaders of one request (their caches live and die with it)."""

    database: Database
    _loaders: dict[Hashable, DataLoader[Any, Any]] = field(default_factory=dict)

    def _loader(self, key: Hashable, load: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load)
        return loader

    def by_id(self, model: Any) -> DataLoader[str, Any]:
        """Rows of `model` by id (None for a missing id), one query per batch, on the
        asyncpg pool (see batch.records_by_ids)."""

        async def load(ids: Sequence[str]) -> list[Any]:
            found = await batch.records_by_ids(self.database, model, ids)
            return [found.get(id) for id in ids]

        return self._loader(("by_id", model), load)

    def page(
        self,
        relation: Relation,
        request: PageRequest,
        sort: str | None = None,
        conditions: Conditions = (),
        key: Hashable = None,
    ) -> DataLoader[str, Page[Any]]:
        """One page of `relation` per parent id. `key` identifies `conditions` (a filter)."""
        chosen = relation.sorts[sort or relation.default_sort]

        async def load(parent_ids: Sequence[str]) -> list[Page[Any]]:
            async with self.database.readers() as session:
                pages = await paginate_per_parent(
                    session,
                    relation.model,
                    conditions,
                    relation.parent,
                    parent_ids,
                    chosen,
                    request,
                    conditions_key=_cacheable(relation, key),
                )
            return [pages[parent_id] for parent_id in parent_ids]

        return self._loader(("page", relation.name, request, chosen.name, key), load)

    def count(
        self, relation: Relation, conditions: Conditions = (), key: Hashable = None
    ) -> DataLoader[str, int]:
        """How many `relation` rows each parent has (a nested connection's totalCount)."""

        async def load(parent_ids: Sequence[str]) -> list[int]:
            async with self.database.readers() as session:
                counts = await count_per_parent(session, conditions, relation.parent, parent_ids)
            return [counts[parent_id] for parent_id in parent_ids]

        return self._loader(("count", relation.name, key), load)
