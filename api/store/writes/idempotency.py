"""Idempotency keys (as Stripe has them): a POST repeated with the same `Idempotency-Key`
gets the first response again instead of writing twice.

The key is the client's, per API key, kept for a day. Requests with the same key run one
after the other (an advisory lock for the transaction), so a retry racing the original waits
for it and then replays it. The response is stored in the write's own transaction: a write
that failed stored nothing, and its retry runs afresh. The same key with another request (a
different method, path or body) is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from api.db.models import TABLES
from api.errors import IdempotencyKeyReused
from api.store.writes.transaction import Tx

KEPT = "24 hours"
_TABLE = TABLES["idempotency_key"]


@dataclass(frozen=True)
class Stored:
    """A response as first sent."""

    status: int
    headers: dict[str, str]
    body: bytes


def fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests the same: method, path and the parsed body (so that spacing
    or key order in the JSON do not)."""
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def recall(tx: Tx, key: str, print_: str) -> Stored | None:
    """The stored response for `key`, if a request with it succeeded within the day."""
    lock = f"claimgraph:idempotency:{tx.writer.key}:{key}"
    await tx.session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(lock))))
    found = (
        await tx.session.execute(
            sa.select(_TABLE.c.fingerprint, _TABLE.c.status, _TABLE.c.headers, _TABLE.c.body).where(
                _TABLE.c.api_key_id == tx.writer.key,
                _TABLE.c.key == key,
                _TABLE.c.created_at > sa.func.now() - sa.text(f"interval '{KEPT}'"),
            )
        )
    ).first()
    if found is None:
        return None
    if found.fingerprint != print_:
        raise IdempotencyKeyReused()
    return Stored(found.status, dict(found.headers), bytes(found.body))


async def remember(tx: Tx, key: str, print_: str, stored: Stored) -> None:
    """Keep the response for replays (replacing an expired one), and let some expired ones go."""
    values = {
        "api_key_id": tx.writer.key,
        "key": key,
        "fingerprint": print_,
        "status": stored.status,
        "headers": stored.headers,
        "body": stored.body,
        "created_at": sa.func.now(),
    }
    statement = insert(_TABLE).values(values)
    await tx.session.execute(
        statement.on_conflict_do_update(
            index_elements=[_TABLE.c.api_key_id, _TABLE.c.key],
            set_={name: statement.excluded[name] for name in values if name != "key"},
        )
    )
    expired = (
        sa.select(_TABLE.c.api_key_id, _TABLE.c.key)
        .where(_TABLE.c.created_at < sa.func.now() - sa.text(f"interval '{KEPT}'"))
        .limit(100)
        .subquery()
    )
    await tx.session.execute(
        sa.delete(_TABLE).where(
            sa.tuple_(_TABLE.c.api_key_id, _TABLE.c.key).in_(sa.select(expired))
        )
    )
