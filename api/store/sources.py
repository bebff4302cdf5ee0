"""Sources: the published texts every span points into."""

from __future__ import annotations

from api.store.kit.pagination import by_id

SORTS = by_id()
