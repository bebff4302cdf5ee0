"""Per-request DataLoaders over the store's batch reads: no query per parent, ever.

A connection field asks `Loaders.page(relation, ...)` for its parent's page; all parents
asking in the same tick are answered by one windowed query, their totals by one grouped
count (api/store/kit/batch.py). Each batch runs in its own short read session, so batches that
fire together never share a connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from api.db.engine import Database
from api.store.kit import batch
from api.store.kit.entity import Entity, Relation
from api.store.kit.filters import Values
from api.store.kit.pagination import Page, PageRequest, Sort
from api.store.kit.rows import Record


class SharedLoader(DataLoader[Any, Any]):
    """A DataLoader whose answers outlive any one waiter. When a field fails, graphql-core
    cancels its siblings' resolvers; one awaiting a loader's future directly would cancel
    the future itself, and with it every other resolver waiting for the same key (a
    CancelledError out of the whole request). Each waiter gets a shield instead."""

    def load(self, key: Any) -> Awaitable[Any]:
        return asyncio.shield(super().load(key))


def _key(values: Values) -> Hashable:
    return tuple(sorted(values.items()))


@dataclass
class Loaders:
    """The DataLoaders of one request (their caches live and die with it)."""

    database: Database
    _loaders: dict[Hashable, DataLoader[Any, Any]] = field(default_factory=dict)

    def _loader(self, key: Hashable, load: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = SharedLoader(load_fn=load)
        return loader

    def by_id(self, entity: Entity) -> DataLoader[str, Record | None]:
        """Rows of `entity` by id (None for a missing id), one query per batch."""

        async def load(ids: Sequence[str]) -> list[Record | None]:
            found = await batch.rows_by_ids(self.database, entity, ids)
            return [found.get(id) for id in ids]

        return self._loader(("by_id", entity.name), load)

    def page(
        self, relation: Relation, request: PageRequest, sort: Sort, values: Values
    ) -> DataLoader[str, Page[Record]]:
        """One page of `relation` per parent id, narrowed by filter `values`."""

        async def load(parent_ids: Sequence[str]) -> list[Page[Record]]:
            async with self.database.readers() as session:
                pages = await batch.pages_per_parent(
                    session, relation, parent_ids, sort, request, values
                )
            return [pages[parent_id] for parent_id in parent_ids]

        key = ("page", id(relation), request, sort.name, _key(values))
        return self._loader(key, load)

    def count(self, relation: Relation, values: Values) -> DataLoader[str, int]:
        """How many `relation` rows each parent has (a nested connection's totalCount)."""

        async def load(parent_ids: Sequence[str]) -> list[int]:
            async with self.database.readers() as session:
                counts = await batch.counts_per_parent(session, relation, parent_ids, values)
            return [counts[parent_id] for parent_id in parent_ids]

        return self._loader(("count", id(relation), _key(values)), load)
